import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Token from '#models/token'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { recordPing } from '#tests/helpers/browser'
import redis from '@adonisjs/redis/services/main'
import { redisKeys } from '#lib/redis_keys'
import TokenRegistry from '#services/registry/token_registry'

test.group('Admin UI: JSON and HTML fragments', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('previews the next five runs of a cron schedule in its time zone', async ({
    client,
    assert,
  }) => {
    const response = await client
      .get('/schedule/preview')
      .qs({ schedule: '0 9 * * 1-5', tz: 'America/New_York' })
      .loginAs(await makeUser())
    response.assertStatus(200)
    const { ok, runs } = response.body()
    assert.isTrue(ok)
    assert.lengthOf(runs, 5)
    for (const run of runs) {
      assert.match(run, /^(Mon|Tue|Wed|Thu|Fri) .*, 09:00 (EST|EDT)$/)
    }
  })

  test('previews the next runs of an OnCalendar schedule and of a cron nickname', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const response = await client
      .get('/schedule/preview')
      .qs({ kind: 'oncalendar', schedule: 'Sat,Sun *-*-* 06:15', tz: 'Asia/Kolkata' })
      .loginAs(user)
    const { ok, runs } = response.body()
    assert.isTrue(ok)
    assert.lengthOf(runs, 5)
    for (const run of runs) {
      assert.match(run, /^(Sat|Sun) .*, 06:15 GMT\+5:30$/)
    }
    const daily = await client
      .get('/schedule/preview')
      .qs({ kind: 'cron', schedule: '@daily', tz: 'UTC' })
      .loginAs(user)
    assert.match(daily.body().runs[0], /, 00:00 UTC$/)
  })

  test('says what is wrong with a schedule it cannot preview', async ({ client, assert }) => {
    const user = await makeUser()
    const bad = await client.get('/schedule/preview').qs({ schedule: '0 9 *' }).loginAs(user)
    bad.assertBody({
      ok: false,
      error: 'The cron expression must be a valid 5-field cron expression',
    })
    const never = await client.get('/schedule/preview').qs({ schedule: '0 0 31 2 *' }).loginAs(user)
    never.assertBody({
      ok: false,
      error: 'The cron expression never fires: no month it names has that day (such as 0 0 31 2 *)',
    })
    const calendar = await client
      .get('/schedule/preview')
      .qs({ kind: 'oncalendar', schedule: 'Mon..Fri 25:00' })
      .loginAs(user)
    assert.isFalse(calendar.body().ok)
    assert.match(calendar.body().error, /^The OnCalendar expression is not a valid OnCalendar/)
    const zone = await client
      .get('/schedule/preview')
      .qs({ schedule: '0 9 * * *', tz: 'Nowhere/City' })
      .loginAs(user)
    zone.assertBody({ ok: false, error: 'Unknown time zone' })
  })

  test('JSON and fragments need a signed-in User', async ({ client }) => {
    for (const path of ['/schedule/preview', '/dashboard/rows']) {
      const response = await client.get(path).redirects(0)
      response.assertStatus(302)
      response.assertHeader('location', '/login')
    }
  })

  test('the dashboard rows hold only the User’s Tokens, filtered', async ({ client, assert }) => {
    const me = await makeUser()
    await recordPing(await makeToken(me, { name: 'mine-up' }))
    await makeToken(me, { name: 'mine-new' })
    await makeToken(await makeUser(), { name: 'theirs' })
    const all = await client.get('/dashboard/rows').loginAs(me)
    assert.include(all.text(), 'mine-up')
    assert.include(all.text(), 'mine-new')
    assert.notInclude(all.text(), 'theirs')
    assert.notInclude(all.text(), '<html')
    const up = await client.get('/dashboard/rows').qs({ status: 'up', q: '' }).loginAs(me)
    assert.include(up.text(), 'mine-up')
    assert.notInclude(up.text(), 'mine-new')
  })

  test('a Token’s live parts are not found for another User', async ({ client, assert }) => {
    const owner = await makeUser()
    const token = await makeToken(owner)
    await recordPing(token, { body: 'hello' })
    const mine = await client.get(`/tokens/${token.uuid}/live`).loginAs(owner)
    mine.assertStatus(200)
    assert.include(mine.text(), 'data-live="log"')
    const stranger = await makeUser()
    const theirs = await client.get(`/tokens/${token.uuid}/live`).loginAs(stranger)
    theirs.assertStatus(404)
    const ping = await token.related('pings').query().firstOrFail()
    const pingPage = await client.get(`/pings/${ping.id}`).loginAs(stranger)
    pingPage.assertStatus(404)
  })

  test('another User cannot pause, change or delete a Token', async ({ client, assert }) => {
    const token = await makeToken(await makeUser(), { name: 'untouchable' })
    const stranger = await makeUser()
    const attempts = [
      client.post(`/tokens/${token.uuid}/pause`),
      client.put(`/tokens/${token.uuid}`).form({ name: 'mine now', kind: 'simple' }),
      client.delete(`/tokens/${token.uuid}`),
    ]
    for (const request of attempts) {
      const response = await request.loginAs(stranger).withCsrfToken().redirects(0)
      response.assertStatus(404)
    }
    const fresh = await Token.findOrFail(token.id)
    assert.equal(fresh.name, 'untouchable')
    assert.equal(fresh.status, 'new')
  })

  test('only admins change Users', async ({ client, assert }) => {
    const target = await makeUser()
    const response = await client
      .put(`/users/${target.id}`)
      .form({ change: 'make_admin' })
      .loginAs(await makeUser())
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(404)
    await target.refresh()
    assert.isFalse(target.isAdmin)
  })

  test('an admin cannot disable or demote themselves', async ({ client, assert }) => {
    const admin = await makeUser({ isAdmin: true })
    const response = await client
      .put(`/users/${admin.id}`)
      .form({ change: 'disable' })
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    response.assertFlashMessage('error', 'You cannot do that to yourself')
    await admin.refresh()
    assert.isFalse(admin.isDisabled)
  })

  test('a disabled User’s ping key stops creating Tokens, and comes back when enabled', async ({
    client,
    assert,
  }) => {
    const admin = await makeUser({ isAdmin: true })
    const target = await makeUser()
    assert.equal(await redis.sismember(redisKeys.pingKeys, target.pingKey), 1)
    const change = (to: string) =>
      client
        .put(`/users/${target.id}`)
        .form({ change: to })
        .loginAs(admin)
        .withCsrfToken()
        .redirects(0)
    await change('disable')
    assert.equal(await redis.sismember(redisKeys.pingKeys, target.pingKey), 0)
    await TokenRegistry.sync()
    assert.equal(await redis.sismember(redisKeys.pingKeys, target.pingKey), 0)
    await change('enable')
    assert.equal(await redis.sismember(redisKeys.pingKeys, target.pingKey), 1)
  })
})
