import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'

test.group('API v1 tokens: snooze, maintenance windows, dependencies', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('POST /tokens/:id/snooze opens a window from now, and 0 ends it', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const token = await makeToken(user)
    const snoozed = await client
      .post(`/api/v1/tokens/${token.uuid}/snooze`)
      .bearerToken(key)
      .json({ minutes: 30 })
    snoozed.assertStatus(200)
    const until = Date.parse(snoozed.body().data.snoozed_until)
    assert.approximately(until, Date.now() + 30 * 60_000, 10_000)
    assert.equal(snoozed.body().data.in_maintenance_until, snoozed.body().data.snoozed_until)

    const ended = await client
      .post(`/api/v1/tokens/${token.uuid}/snooze`)
      .bearerToken(key)
      .json({ minutes: 0 })
    assert.isNull(ended.body().data.snoozed_until)

    const tooLong = await client
      .post(`/api/v1/tokens/${token.uuid}/snooze`)
      .bearerToken(key)
      .json({ minutes: 10_081 })
    tooLong.assertStatus(422)
    tooLong.assertBodyContains({ errors: [{ field: 'minutes' }] })

    const stranger = await makeApiKey(await makeUser())
    const theirs = await client
      .post(`/api/v1/tokens/${token.uuid}/snooze`)
      .bearerToken(stranger)
      .json({ minutes: 30 })
    theirs.assertStatus(404)
  })

  test('a scheduled window is set, shown and checked', async ({ client, assert }) => {
    const key = await makeApiKey(await makeUser())
    const created = await client.post('/api/v1/tokens').bearerToken(key).json({
      name: 'etl',
      maintenance_schedule: '0 2 * * 0',
      maintenance_minutes: 90,
      maintenance_tz: 'Europe/Paris',
    })
    created.assertStatus(201)
    assert.containSubset(created.body().data, {
      maintenance_schedule: '0 2 * * 0',
      maintenance_minutes: 90,
      maintenance_tz: 'Europe/Paris',
      depends_on: [],
    })
    const bad = await client
      .patch(`/api/v1/tokens/${created.body().data.id}`)
      .bearerToken(key)
      .json({ maintenance_schedule: '@reboot', maintenance_minutes: 99_999 })
    bad.assertStatus(422)
    assert.sameMembers(
      bad.body().errors.map((error: { field: string }) => error.field),
      ['maintenance_schedule', 'maintenance_minutes']
    )
    const cleared = await client
      .patch(`/api/v1/tokens/${created.body().data.id}`)
      .bearerToken(key)
      .json({ maintenance_schedule: null })
    assert.isNull(cleared.body().data.maintenance_schedule)
  })

  test('an OnCalendar maintenance schedule is taken; a wrong one is refused naming the syntax read', async ({
    client,
    assert,
  }) => {
    const key = await makeApiKey(await makeUser())
    const created = await client.post('/api/v1/tokens').bearerToken(key).json({
      name: 'etl',
      maintenance_schedule: 'Mon..Fri *-*~1 23:00',
      maintenance_minutes: 60,
      maintenance_tz: 'America/New_York',
    })
    created.assertStatus(201)
    assert.equal(created.body().data.maintenance_schedule, 'Mon..Fri *-*~1 23:00')

    const refusal = async (schedule: string) => {
      const response = await client
        .patch(`/api/v1/tokens/${created.body().data.id}`)
        .bearerToken(key)
        .json({ maintenance_schedule: schedule })
      response.assertStatus(422)
      return response.body().errors[0]
    }
    const never = await refusal('*-02-30 02:00')
    assert.equal(never.field, 'maintenance_schedule')
    assert.include(never.message, 'read as an OnCalendar expression')
    assert.include(never.message, 'never fires')
    const zoned = await refusal('Mon 02:00 Europe/Berlin')
    assert.include(zoned.message, 'time zone field')
    const past = await refusal('2020-01-01')
    assert.include(past.message, 'never fires again')
    const cron = await refusal('0 25 * * *')
    assert.include(cron.message, 'read as a cron line')
  })

  test('depends_on sets parents; a cycle is refused with a 422 that says so', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const [a, b, c] = [
      await makeToken(user, { name: 'a' }),
      await makeToken(user, { name: 'b' }),
    ].concat(await makeToken(user, { name: 'c' }))
    const patch = (id: string, dependsOn: string[]) =>
      client.patch(`/api/v1/tokens/${id}`).bearerToken(key).json({ depends_on: dependsOn })

    const set = await patch(a.uuid, [b.uuid])
    set.assertStatus(200)
    assert.deepEqual(set.body().data.depends_on, [b.uuid])
    const chained = await patch(b.uuid, [c.uuid])
    chained.assertStatus(200)

    const loop = await patch(c.uuid, [a.uuid])
    loop.assertStatus(422)
    loop.assertBodyContains({
      errors: [
        {
          field: 'depends_on',
          message: '"a" already depends on "c": the dependency would make a cycle',
        },
      ],
    })
    const self = await patch(a.uuid, [a.uuid])
    self.assertStatus(422)
    self.assertBodyContains({
      errors: [{ field: 'depends_on', message: 'A Token cannot depend on itself' }],
    })

    const other = await makeToken(await makeUser(), { name: 'not yours' })
    const foreign = await patch(a.uuid, [other.uuid])
    foreign.assertStatus(422)
    foreign.assertBodyContains({ errors: [{ field: 'depends_on' }] })

    const shown = await client.get(`/api/v1/tokens/${a.uuid}`).bearerToken(key)
    assert.deepEqual(shown.body().data.depends_on, [b.uuid], 'refused changes left the parents')
    const none = await patch(a.uuid, [])
    assert.deepEqual(none.body().data.depends_on, [])
  })
})
