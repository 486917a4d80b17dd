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
