import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import Project from '#models/project'
import type Token from '#models/token'
import UserService from '#services/accounts/user_service'
import ProjectService from '#services/projects/project_service'
import { defaultProjectId } from '#services/projects/project_access'
import { badgePath } from '#services/projects/badges'
import { uniqueKeyOf } from '#lib/uuid'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { parsePrometheus } from '#tests/helpers/prometheus'
import { flushRedis } from '#tests/helpers/redis'

/** Puts a Token in a shown state: up, late (in its grace) or down. */
async function setState(token: Token, state: 'up' | 'late' | 'down') {
  const now = Date.now()
  const alertAfter = new Date(state === 'late' ? now + 1800_000 : now + 7200_000)
  await db
    .from('tokens')
    .where('id', token.id)
    .update({ status: state === 'down' ? 'down' : 'up', grace: 3600, alert_after: alertAfter })
}

/** The status code of a GET. */
async function statusCode(client: ApiClient, url: string) {
  const response = await client.get(url)
  return response.status()
}

test.group('Badges and Prometheus metrics per Project', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('badges follow their Tokens: 3-state and 2-state, per tag and for all', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const project = await Project.findOrFail(await defaultProjectId(user.id))
    const db1 = await makeToken(user, { name: 'db', tags: ['db'] })
    const web = await makeToken(user, { name: 'web', tags: ['web'] })
    await setState(db1, 'up')
    await setState(web, 'up')
    const json = async (tag: string, withLate: boolean) => {
      const response = await client.get(badgePath(project, tag, 'json', withLate))
      return response.body()
    }
    const statusOf = async (tag: string, withLate: boolean) => {
      const body = await json(tag, withLate)
      return body.status
    }

    assert.deepEqual(await json('*', true), { status: 'up', total: 2, grace: 0, down: 0 })
    await setState(web, 'late')
    assert.equal(await statusOf('*', true), 'late')
    assert.equal(await statusOf('*', false), 'up')
    assert.equal(await statusOf('db', true), 'up')
    assert.equal(await statusOf('web', true), 'late')
    await setState(web, 'down')
    assert.deepEqual(await json('web', false), { status: 'down', total: 1, grace: 0, down: 1 })
    assert.equal(await statusOf('db', false), 'up')

    const shields = await client.get(badgePath(project, 'web', 'shields', true))
    assert.deepEqual(shields.body(), {
      schemaVersion: 1,
      label: 'web',
      message: 'down',
      color: 'critical',
    })
    const svg = await client.get(badgePath(project, 'web', 'svg', true))
    svg.assertStatus(200)
    assert.match(svg.header('content-type') ?? '', /^image\/svg\+xml/)
    assert.include(String(svg.text() ?? svg.body()), '>down</text>')
  })

  test('a badge URL with another tag’s signature, or another Project’s key, is 404', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const project = await Project.findOrFail(await defaultProjectId(user.id))
    await makeToken(user, { name: 'db', tags: ['db', 'web'] })
    const forDb = badgePath(project, 'db', 'svg', true)
    const forged = forDb.replace('/db.svg', '/web.svg')
    assert.equal(await statusCode(client, forged), 404)
    const stranger = await makeUser()
    const other = await Project.findOrFail(await defaultProjectId(stranger.id))
    assert.equal(await statusCode(client, forDb.replace(project.badgeKey, other.badgeKey)), 404)
    assert.equal(await statusCode(client, forDb), 200)
  })

  test('the metrics parse with a Prometheus parser and carry healthchecks’ series', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const project = await Project.findOrFail(await defaultProjectId(user.id))
    const backup = await makeToken(user, { name: 'Backup "nightly"', tags: ['db', 'prod'] })
    const web = await makeToken(user, { name: 'web', tags: ['prod'] })
    await setState(backup, 'down')
    await setState(web, 'up')
    const key = await UserService.createApiKey(user, 'read-only', 'prom', project.id)
    const response = await client.get(`/projects/${project.uuid}/metrics/${key}`)
    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
    parsePrometheus(response.text())
    const families = new Map(
      parsePrometheusTextFormat(response.text()).map((family) => [family.name, family])
    )
    const up = families.get('hc_check_up')!.metrics
    assert.deepEqual(
      up.find((m) => m.labels!.unique_key === uniqueKeyOf(backup.uuid)),
      {
        value: '0',
        labels: {
          name: 'Backup "nightly"',
          tags: 'db prod',
          unique_key: uniqueKeyOf(backup.uuid),
        },
      }
    )
    assert.equal(up.find((m) => m.labels!.name === 'web')!.value, '1')
    assert.lengthOf(families.get('hc_check_started')!.metrics, 2)
    const tagUp = families.get('hc_tag_up')!.metrics
    assert.deepEqual(tagUp, [
      { value: '0', labels: { tag: 'db' } },
      { value: '0', labels: { tag: 'prod' } },
    ])
    assert.deepEqual(families.get('hc_tag_total')!.metrics, [
      { value: '1', labels: { tag: 'db' } },
      { value: '2', labels: { tag: 'prod' } },
    ])
    assert.equal(families.get('hc_checks_total')!.metrics[0].value, '2')
    assert.equal(families.get('hc_checks_down_total')!.metrics[0].value, '1')
  })

  test('another Project’s key and a read-write key are 403; an unknown Project 404', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const project = await Project.findOrFail(await defaultProjectId(user.id))
    const second = await ProjectService.create(user, 'Second')
    const otherKey = await UserService.createApiKey(user, 'read-only', 'prom', second.id)
    const fullKey = await UserService.createApiKey(user, 'read-write', 'full', project.id)
    const goodKey = await UserService.createApiKey(user, 'read-only', 'prom', project.id)
    const url = (key: string) => `/projects/${project.uuid}/metrics/${key}`
    assert.equal(await statusCode(client, url(otherKey)), 403)
    assert.equal(await statusCode(client, url(fullKey)), 403)
    assert.equal(await statusCode(client, url('nonsense')), 403)
    assert.equal(await statusCode(client, url(goodKey)), 200)
    assert.equal(await statusCode(client, `/projects/${second.uuid}/metrics/${otherKey}`), 200)
    const unknown = `/projects/00000000-0000-4000-8000-000000000000/metrics/${goodKey}`
    assert.equal(await statusCode(client, unknown), 404)
  })
})
