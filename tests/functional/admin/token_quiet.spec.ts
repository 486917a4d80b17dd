import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Token from '#models/token'
import Flip from '#models/flip'
import { DateTime } from 'luxon'
import TokenService from '#services/tokens/token_service'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { recordPing } from '#tests/helpers/browser'

test.group('Admin UI: snooze, maintenance windows, dependencies', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('the Snooze button opens a window; the page says until when', async ({ client, assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'nightly' })
    const response = await client
      .post(`/tokens/${token.uuid}/snooze`)
      .form({ minutes: '240' })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(302)
    const fresh = await Token.findOrFail(token.id)
    assert.approximately(fresh.snoozeUntil!.toMillis(), Date.now() + 240 * 60_000, 10_000)
    const page = await client.get(`/tokens/${token.uuid}`).loginAs(user)
    assert.include(page.text(), 'in a window')
    assert.include(page.text(), 'End snooze')

    const stranger = await client
      .post(`/tokens/${token.uuid}/snooze`)
      .form({ minutes: '60' })
      .loginAs(await makeUser())
      .withCsrfToken()
      .redirects(0)
    stranger.assertStatus(404)
  })

  test('the Flips list says which Flips were silenced, and why', async ({ client, assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'nightly' })
    const flip = (silenced: Flip['silenced'], reason: string) =>
      Flip.create({
        tokenId: token.id,
        oldStatus: 'up',
        newStatus: 'down',
        reason,
        silenced,
        createdAt: DateTime.now(),
      })
    await flip('maintenance', 'timeout')
    await flip(null, 'fail ping')
    const page = await client.get(`/tokens/${token.uuid}`).loginAs(user)
    page.assertStatus(200)
    assert.include(page.text(), '(silenced: maintenance)')
    assert.equal(page.text().split('(silenced:').length - 1, 1, 'only the silenced Flip says so')
    assert.notInclude(page.text(), '@if(', 'the template tags are read, not printed')
  })

  test('the form takes an OnCalendar window and explains the field', async ({ client, assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'backup' })
    const form = await client.get(`/tokens/${token.uuid}/edit`).loginAs(user)
    assert.include(form.text(), 'Opens on (cron or OnCalendar)')
    const saved = await client
      .put(`/tokens/${token.uuid}`)
      .form({
        name: 'backup',
        kind: 'simple',
        timeout: '1',
        timeout_unit: 'days',
        grace: '1',
        grace_unit: 'hours',
        maintenance_schedule: 'Sat,Sun *-*-* 03:00',
        maintenance_minutes: '120',
        maintenance_tz: 'Europe/Berlin',
      })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    saved.assertStatus(302)
    const fresh = await Token.findOrFail(token.id)
    assert.equal(fresh.maintenanceSchedule, 'Sat,Sun *-*-* 03:00')
    assert.equal(fresh.maintenanceTz, 'Europe/Berlin')
  })

  test('the form sets a window and parents; the page shows depends on and silenced by', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const parent = await makeToken(user, { name: 'router' })
    const child = await makeToken(user, { name: 'backup' })
    const form = await client.get(`/tokens/${child.uuid}/edit`).loginAs(user)
    assert.include(form.text(), `value="${parent.uuid}"`)
    assert.notInclude(form.text(), `name="depends_on[]" value="${child.uuid}"`)

    const saved = await client
      .put(`/tokens/${child.uuid}`)
      .form({
        name: 'backup',
        kind: 'simple',
        timeout: '1',
        timeout_unit: 'days',
        grace: '1',
        grace_unit: 'hours',
        maintenance_schedule: '0 2 * * 0',
        maintenance_minutes: '45',
        maintenance_tz: 'UTC',
        depends_on: [parent.uuid],
      })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    saved.assertStatus(302)
    const fresh = await Token.findOrFail(child.id)
    assert.equal(fresh.maintenanceSchedule, '0 2 * * 0')
    assert.equal(fresh.maintenanceMinutes, 45)

    await recordPing(parent, { kind: 'fail' })
    const page = await client.get(`/tokens/${child.uuid}`).loginAs(user)
    assert.include(page.text(), 'Depends on')
    assert.include(page.text(), 'Silenced by')
    assert.include(page.text(), '>router</a>')
    assert.include(page.text(), '0 2 * * 0')

    const loop = await client
      .put(`/tokens/${parent.uuid}`)
      .form({
        name: 'router',
        kind: 'simple',
        timeout: '1',
        timeout_unit: 'days',
        grace: '1',
        grace_unit: 'hours',
        depends_on: [child.uuid],
      })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    loop.assertStatus(302)
    await TokenService.loadRelations(parent)
    assert.lengthOf(parent.parents, 0, 'the cycle was refused')
  })
})
