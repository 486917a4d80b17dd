import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'

function errorsOf(body: { errors: { field: string; message: string }[] }) {
  return body.errors.map(({ field, message }) => [field, message])
}

test.group('API v1: Token schedules and filters', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a schedule alone makes an OnCalendar or a cron Token by its syntax', async ({
    client,
    assert,
  }) => {
    const key = await makeApiKey(await makeUser())
    const calendar = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'weekdays', schedule: 'Mon..Fri *-*-* 09:30', tz: 'Europe/Berlin' })
    calendar.assertStatus(201)
    assert.containSubset(calendar.body().data, {
      kind: 'oncalendar',
      schedule: 'Mon..Fri *-*-* 09:30',
      tz: 'Europe/Berlin',
    })
    const nickname = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'daily', schedule: '@daily' })
    assert.containSubset(nickname.body().data, { kind: 'cron', schedule: '@daily' })
    const changed = await client
      .patch(`/api/v1/tokens/${nickname.body().data.id}`)
      .bearerToken(key)
      .json({ schedule: 'weekly' })
    assert.containSubset(changed.body().data, { kind: 'oncalendar', schedule: 'weekly' })
  })

  test('a cron line that never fires is refused, saying so', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const response = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'never', kind: 'cron', schedule: '0 0 31 2 *' })
    response.assertStatus(422)
    assert.deepEqual(errorsOf(response.body()), [
      [
        'schedule',
        'The schedule field never fires: no month it names has that day (such as 0 0 31 2 *)',
      ],
    ])
  })

  test('an OnCalendar schedule is validated with the reason, in the syntax its kind names', async ({
    client,
    assert,
  }) => {
    const key = await makeApiKey(await makeUser())
    const bad = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'x', kind: 'oncalendar', schedule: 'Mon..Fri 25:00' })
    bad.assertStatus(422)
    assert.match(
      bad.body().errors[0].message,
      /^The schedule field is not a valid OnCalendar expression: /
    )
    const past = await client
      .post('/api/v1/tokens')
      .bearerToken(key)
      .json({ name: 'x', schedule: '2020-05-01 12:00' })
    assert.deepEqual(errorsOf(past.body()), [
      [
        'schedule',
        'The schedule field does not have the five fields of a cron line, so it was read as an OnCalendar expression, and it never fires again: its last date is past',
      ],
    ])
  })

  test('a kind changed alone must fit the schedule the Token keeps', async ({ client, assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { schedule: '0 3 * * *' })
    const response = await client
      .patch(`/api/v1/tokens/${token.uuid}`)
      .bearerToken(await makeApiKey(user))
      .json({ kind: 'oncalendar' })
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'schedule')
    assert.match(response.body().errors[0].message, /^The Token's schedule \(0 3 \* \* \*\) /)
    assert.match(response.body().errors[0].message, /for kind oncalendar$/)
    await token.refresh()
    assert.equal(token.kind, 'cron')
  })

  test('filters are set, returned and changed one at a time', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const created = await client.post('/api/v1/tokens').bearerToken(key).json({
      name: 'filtered',
      methods: 'POST',
      filter_body: true,
      failure_kw: 'error, fatal',
      success_kw: 'completed',
    })
    created.assertStatus(201)
    assert.containSubset(created.body().data, {
      methods: 'POST',
      filter_body: true,
      filter_subject: false,
      failure_kw: 'error, fatal',
      success_kw: 'completed',
      start_kw: '',
    })
    const changed = await client
      .patch(`/api/v1/tokens/${created.body().data.id}`)
      .bearerToken(key)
      .json({ methods: '' })
    assert.containSubset(changed.body().data, { methods: '', failure_kw: 'error, fatal' })
    const refused = await client
      .patch(`/api/v1/tokens/${created.body().data.id}`)
      .bearerToken(key)
      .json({ methods: 'GET' })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].message, 'methods is "" (any) or "POST"')
  })
})
