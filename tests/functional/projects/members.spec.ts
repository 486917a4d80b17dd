import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Project from '#models/project'
import type User from '#models/user'
import ProjectService, { INVITE_DAYS } from '#services/projects/project_service'
import UserService from '#services/accounts/user_service'
import TokenService from '#services/tokens/token_service'
import ChannelService from '#services/alerts/channel_service'
import Token from '#models/token'
import Channel from '#models/channel'
import { defaultProjectId } from '#services/projects/project_access'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { startSmtpReceiver } from '#tests/helpers/receivers'
import { flushRedis } from '#tests/helpers/redis'

/** A mail's text as sent: quoted-printable soft breaks joined */
const bodyOf = (data: string) => data.replaceAll('=\r\n', '').replaceAll('=3D', '=')

async function projectOf(user: User) {
  return Project.findOrFail(await defaultProjectId(user.id))
}

/** Adds `user` to the Project of `owner` with `role`, as an accepted invitation does. */
async function join(owner: User, user: User, role: 'manager' | 'read-only') {
  const project = await projectOf(owner)
  await db
    .table('project_members')
    .insert({ project_id: project.id, user_id: user.id, role, created_at: new Date() })
  return project
}

test.group('Projects: members, roles and isolation', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a new User gets a default Project they own', async ({ assert }) => {
    const user = await makeUser()
    const project = await projectOf(user)
    assert.equal(project.ownerId, user.id)
    assert.equal(project.name, 'Default')
    assert.match(project.badgeKey, /^[0-9a-f]{36}$/)
    const token = await makeToken(user)
    assert.equal(token.projectId, project.id)
  })

  test('another Project’s Token is 404 in the admin UI and API v1, listed nowhere', async ({
    client,
    assert,
  }) => {
    const owner = await makeUser()
    const stranger = await makeUser()
    const token = await makeToken(owner, { name: 'Secret backup' })
    const page = await client.get(`/tokens/${token.uuid}`).loginAs(stranger)
    page.assertStatus(404)
    const key = await makeApiKey(stranger)
    const read = await client.get(`/api/v1/tokens/${token.uuid}`).bearerToken(key)
    read.assertStatus(404)
    const change = await client
      .patch(`/api/v1/tokens/${token.uuid}`)
      .bearerToken(key)
      .json({ name: 'x' })
    change.assertStatus(404)
    const list = await client.get('/api/v1/tokens').bearerToken(key)
    assert.deepEqual(list.body().data, [])
    const dashboard = await client.get('/dashboard').loginAs(stranger)
    assert.notInclude(dashboard.text(), 'Secret backup')
  })

  test('a read-only member sees the Project’s Tokens and cannot change them', async ({
    client,
    assert,
  }) => {
    const owner = await makeUser()
    const reader = await makeUser()
    const token = await makeToken(owner, { name: 'Shared backup' })
    const project = await join(owner, reader, 'read-only')
    const page = await client.get(`/tokens/${token.uuid}`).loginAs(reader)
    page.assertStatus(200)
    const edit = await client
      .put(`/tokens/${token.uuid}`)
      .loginAs(reader)
      .withCsrfToken()
      .form({ name: 'Renamed' })
      .redirects(0)
    edit.assertStatus(403)
    const key = await makeApiKeyIn(reader, project.id, 'read-write')
    const read = await client.get(`/api/v1/tokens/${token.uuid}`).bearerToken(key)
    read.assertStatus(200)
    const change = await client
      .patch(`/api/v1/tokens/${token.uuid}`)
      .bearerToken(key)
      .json({ name: 'Renamed' })
    change.assertStatus(403)
    const created = await client.post('/api/v1/tokens').bearerToken(key).json({ name: 'New' })
    created.assertStatus(403)
    await token.refresh()
    assert.equal(token.name, 'Shared backup')
  })

  test("deleting a member keeps the Tokens and Channels they made in others' Projects", async ({
    assert,
  }) => {
    const owner = await makeUser()
    const member = await makeUser()
    const admin = await makeUser({ isAdmin: true })
    const project = await join(owner, member, 'manager')
    await makeToken(owner, { name: 'Owner job', slug: 'nightly', tags: ['db'] })
    const { token: made } = await TokenService.create(
      member,
      { name: 'Member job', slug: 'nightly', tags: ['db', 'prod'] },
      project.id
    )
    const { token: own } = await TokenService.create(member, { name: 'Their own' })
    const channel = await ChannelService.create(
      member,
      { kind: 'webhook', name: 'Team hook', config: { url: 'https://hooks.example.com/x' } },
      project.id
    )

    const tagsBefore = await db
      .from('project_tags')
      .where('project_id', project.id)
      .orderBy('tag')
      .select('tag', 'count')

    const removed = await UserService.remove(admin, String(member.id))
    assert.isTrue(removed.ok)
    const kept = await Token.findOrFail(made.id)
    assert.equal(kept.userId, owner.id)
    assert.equal(kept.projectId, project.id)
    assert.isNull(kept.slug, 'the owner already uses the slug: dropped, not clashing')
    assert.isNotNull(await Channel.find(channel.id))
    assert.isNull(await Token.find(own.id), "their own Project's Tokens go with them")
    const tags = await db
      .from('project_tags')
      .where('project_id', project.id)
      .orderBy('tag')
      .select('tag', 'count')
    assert.deepEqual(
      tags.map((row) => [row.tag, row.count]),
      [
        ['db', 2],
        ['prod', 1],
      ]
    )
    assert.deepEqual(tags, tagsBefore, "the Project's tags are unchanged by the deletion")
  })

  test('a manager changes Tokens but not members; the owner manages members', async ({
    client,
    assert,
  }) => {
    const owner = await makeUser()
    const manager = await makeUser()
    const token = await makeToken(owner, { name: 'Nightly' })
    const project = await join(owner, manager, 'manager')
    const key = await makeApiKeyIn(manager, project.id, 'read-write')
    const change = await client
      .patch(`/api/v1/tokens/${token.uuid}`)
      .bearerToken(key)
      .json({ name: 'Nightly DB' })
    change.assertStatus(200)
    const invite = await client
      .post('/project/invites')
      .loginAs(manager)
      .withCsrfToken()
      .withSession({ projectId: project.id })
      .form({ email: 'someone@example.com', role: 'manager' })
      .redirects(0)
    invite.assertStatus(404)
    const removed = await ProjectService.removeMember(project, manager.id)
    assert.isTrue(removed.ok)
    const after = await client.get(`/api/v1/tokens/${token.uuid}`).bearerToken(key)
    assert.oneOf(after.status(), [401, 404])
  })

  test('an invitation mails a link; accepting it adds the member', async ({ client, assert }) => {
    const smtp = await startSmtpReceiver()
    try {
      const owner = await makeUser()
      const invited = await makeUser()
      const token = await makeToken(owner, { name: 'Invoices' })
      const sent = await client
        .post('/project/invites')
        .loginAs(owner)
        .withCsrfToken()
        .form({ email: invited.email, role: 'read-only' })
        .redirects(0)
      sent.assertStatus(302)
      assert.lengthOf(smtp.mails, 1)
      assert.deepEqual(smtp.mails[0].to, [invited.email])
      const link = /\/invites\/([A-Za-z0-9_-]+)/.exec(bodyOf(smtp.mails[0].data))
      assert.isNotNull(link)
      const before = await client.get(`/tokens/${token.uuid}`).loginAs(invited)
      before.assertStatus(404)
      const accepted = await client
        .post(`/invites/${link![1]}`)
        .loginAs(invited)
        .withCsrfToken()
        .redirects(0)
      accepted.assertStatus(302)
      const page = await client.get(`/tokens/${token.uuid}`).loginAs(invited)
      page.assertStatus(200)
      const again = await ProjectService.accept(invited, link![1])
      assert.isNull(again)

      // A link older than INVITE_DAYS is refused.
      const late = await makeUser()
      const lateLink = await ProjectService.invite(
        await projectOf(owner),
        owner,
        late.email,
        'read-only',
        'http://ngip.test'
      )
      await db
        .from('project_invites')
        .where('email', late.email)
        .update({ created_at: new Date(Date.now() - (INVITE_DAYS * 86_400_000 + 60_000)) })
      assert.isNull(await ProjectService.accept(late, lateLink.split('/').pop()!))
      assert.include(bodyOf(smtp.mails[1].data), `Accept within ${INVITE_DAYS} days`)
    } finally {
      await smtp.close()
    }
  })

  test('the owner transfers the Project and can then leave it', async ({ assert }) => {
    const owner = await makeUser()
    const heir = await makeUser()
    const project = await join(owner, heir, 'manager')
    assert.deepEqual(await ProjectService.removeMember(project, owner.id), {
      ok: false,
      error: 'last_owner',
    })
    const transferred = await ProjectService.transfer(project, heir.id)
    assert.isTrue(transferred.ok)
    await project.refresh()
    assert.equal(project.ownerId, heir.id)
    const left = await ProjectService.removeMember(project, owner.id)
    assert.isTrue(left.ok)
    const members = await ProjectService.members(project.id)
    assert.deepEqual(
      members.map((m) => [m.email, m.role]),
      [[heir.email, 'owner']]
    )
  })

  test('an API key created in a Project lists that Project’s Tokens only', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const mine = await makeToken(user, { name: 'Mine' })
    const second = await ProjectService.create(user, 'Second')
    const key = await makeApiKeyIn(user, second.id, 'read-write')
    const list = await client.get('/api/v1/tokens').bearerToken(key)
    assert.deepEqual(list.body().data, [])
    const created = await client.post('/api/v1/tokens').bearerToken(key).json({ name: 'There' })
    created.assertStatus(201)
    const row = await db.from('tokens').where('uuid', created.body().data.id).first()
    assert.equal(row.project_id, second.id)
    const other = await client.get(`/api/v1/tokens/${mine.uuid}`).bearerToken(key)
    other.assertStatus(404)
  })
})

function makeApiKeyIn(user: User, projectId: number, access: 'read-only' | 'read-write') {
  return UserService.createApiKey(user, access, 'test', projectId)
}

test.group('Projects: deleting one', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('only the owner deletes a Project, with its Tokens and API keys', async ({
    client,
    assert,
  }) => {
    const owner = await makeUser()
    const manager = await makeUser()
    const token = await makeToken(owner, { name: 'Doomed' })
    const project = await join(owner, manager, 'manager')
    const key = await makeApiKeyIn(owner, project.id, 'read-write')
    const refused = await client
      .delete('/project')
      .loginAs(manager)
      .withCsrfToken()
      .withSession({ projectId: project.id })
      .redirects(0)
    refused.assertStatus(404)
    const deleted = await client.delete('/project').loginAs(owner).withCsrfToken().redirects(0)
    deleted.assertStatus(302)
    assert.isNull(await Project.find(project.id))
    assert.isNull(await db.from('tokens').where('id', token.id).first())
    const read = await client.get('/api/v1/tokens').bearerToken(key)
    read.assertStatus(401)
    const dashboard = await client.get('/dashboard').loginAs(owner)
    dashboard.assertStatus(200)
    assert.lengthOf(await ProjectService.ofUser(owner.id), 1, 'a new default Project')
  })
})
