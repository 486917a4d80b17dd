import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import type Token from '#models/token'
import { ReportPass } from '#services/alerts/report_pass'
import { saveReportSettings } from '#services/accounts/report_settings'
import PingService from '#services/tokens/ping_service'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { startSmtpReceiver } from '#tests/helpers/receivers'
import { defaultProjectId } from '#services/projects/project_access'

function ping(token: Token, input: { kind?: 'fail'; exit_status?: number } = {}) {
  return PingService.record(
    token,
    { token: token.uuid, ...input },
    { method: 'API', remoteAddr: '', userAgent: '' }
  )
}

/** A Flip written at a chosen time: a downtime earlier in the period */
async function flipAt(token: Token, at: Date, oldStatus: string, newStatus: string) {
  await db.table('flips').insert({
    token_id: token.id,
    created_at: at,
    old_status: oldStatus,
    new_status: newStatus,
    reason: 'timeout',
    processed_at: at,
  })
}

/** A mail's text as sent: quoted-printable soft breaks joined */
function bodyOf(data: string) {
  return data.replaceAll('=\r\n', '').replaceAll('=3D', '=')
}

test.group('Reports: the daily or weekly email report', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test("a daily report mail arrives with each Token's status, downtimes and last failures", async ({
    assert,
  }) => {
    const smtp = await startSmtpReceiver()
    try {
      const user = await makeUser()
      await saveReportSettings(user, { period: 'daily', hour: 8, tz: 'UTC' })
      const end = user.reportNextAt!.toJSDate()
      const start = new Date(end.getTime() - 86_400_000)

      // down now, after a failure with an exit status: down until the period's end
      const backup = await makeToken(user, { name: 'backup' })
      await ping(backup)
      await ping(backup, { exit_status: 3 })
      // down for an hour earlier in the period, up again
      const etl = await makeToken(user, { name: 'etl' })
      await ping(etl)
      // its history is the one written below: the ping's own Flip (new to up, now) would
      // fall inside that downtime when the test runs between 09:00 and 10:00 UTC
      await db.from('flips').where('token_id', etl.id).delete()
      await flipAt(etl, new Date(start.getTime() - 3_600_000), 'new', 'up')
      await flipAt(etl, new Date(start.getTime() + 3_600_000), 'up', 'down')
      await flipAt(etl, new Date(start.getTime() + 7_200_000), 'down', 'up')
      await makeToken(user, { name: 'fresh' })
      await makeToken(await makeUser(), { name: 'not yours' })

      const pass = new ReportPass()
      assert.equal(await pass.runOnce(new Date(end.getTime() - 1000)), 0, 'not before its hour')
      assert.equal(await pass.runOnce(end), 1)
      assert.lengthOf(smtp.mails, 1)
      const [mail] = smtp.mails
      assert.deepEqual(mail.to, [user.email])
      const body = bodyOf(mail.data)
      assert.include(body, 'Subject: ngip daily report: 1 of 3 Tokens down')
      const hour = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ')
      assert.include(body, `Your daily report, ${hour(start)} to ${hour(end)} (UTC).`)
      assert.include(body, 'backup: DOWN')
      assert.match(body, /backup: DOWN\r?\n {2}last ping: .*\r?\n {2}downtime: once, .* in all/)
      assert.match(body, /\n {4}[\d-]+ [\d:]+ still down at the end \(/)
      assert.match(body, /failure: [\d-]+ [\d:]+ \(exit status 3\)/)
      assert.include(body, 'etl: UP')
      assert.include(body, 'downtime: once, 1 h in all')
      assert.include(
        body,
        `${hour(new Date(start.getTime() + 3_600_000))} to ${hour(new Date(start.getTime() + 7_200_000))} (1 h)`
      )
      assert.match(body, /fresh: NEW\r?\n {2}last ping: never\r?\n {2}downtime: none/)
      assert.notInclude(body, 'not yours')

      assert.equal(await pass.runOnce(new Date(end.getTime() + 60_000)), 0, 'once per period')
      assert.equal(await pass.runOnce(new Date(end.getTime() + 3_600_000)), 0)
      assert.lengthOf(smtp.mails, 1)
      assert.equal(await pass.runOnce(new Date(end.getTime() + 86_400_000)), 1, 'the next day')
      assert.lengthOf(smtp.mails, 2)
    } finally {
      await smtp.close()
    }
  })

  test("a member's report covers the Tokens of every Project they belong to", async ({
    assert,
  }) => {
    const smtp = await startSmtpReceiver()
    try {
      const owner = await makeUser()
      const member = await makeUser()
      await db.table('project_members').insert({
        project_id: await defaultProjectId(owner.id),
        user_id: member.id,
        role: 'read-only',
        created_at: new Date(),
      })
      await makeToken(owner, { name: 'team backup' })
      await makeToken(member, { name: 'my own job' })
      await makeToken(await makeUser(), { name: 'not a member' })
      await saveReportSettings(member, { period: 'daily', hour: 8, tz: 'UTC' })
      assert.equal(await new ReportPass().runOnce(member.reportNextAt!.toJSDate()), 1)
      const body = bodyOf(smtp.mails[0].data)
      assert.include(body, 'team backup: NEW')
      assert.include(body, 'my own job: NEW')
      assert.notInclude(body, 'not a member')
    } finally {
      await smtp.close()
    }
  })

  test('no report when off, or for a disabled User', async ({ assert }) => {
    const smtp = await startSmtpReceiver()
    try {
      const off = await makeUser()
      await saveReportSettings(off, { period: 'off', hour: 8, tz: 'UTC' })
      assert.isNull(off.reportNextAt)
      const disabled = await makeUser()
      await saveReportSettings(disabled, { period: 'daily', hour: 8, tz: 'UTC' })
      disabled.isDisabled = true
      await disabled.save()
      assert.equal(await new ReportPass().runOnce(new Date(Date.now() + 8 * 86_400_000)), 0)
      assert.lengthOf(smtp.mails, 0)
    } finally {
      await smtp.close()
    }
  })

  test('the account page saves the report settings and shows the next report', async ({
    assert,
    client,
  }) => {
    const user = await makeUser()
    const saved = await client
      .put('/account/report')
      .form({ report_period: 'weekly', report_hour: '7', report_tz: 'Europe/Berlin' })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    saved.assertStatus(302)
    await user.refresh()
    assert.equal(user.reportPeriod, 'weekly')
    const next = user.reportNextAt!.setZone('Europe/Berlin')
    assert.deepInclude({ weekday: next.weekday, hour: next.hour }, { weekday: 1, hour: 7 })
    const page = await client.get('/account').loginAs(user)
    assert.include(page.text(), 'Next report:')

    const refused = await client
      .put('/account/report')
      .form({ report_period: 'daily', report_hour: '7', report_tz: 'Mars/Olympus' })
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    refused.assertStatus(302)
    await user.refresh()
    assert.equal(user.reportTz, 'Europe/Berlin', 'a bad time zone changes nothing')
  })
})

test.group('Reports: the API', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test("reads and sets the report settings of the key's User", async ({ assert, client }) => {
    const user = await makeUser()
    const key = await makeApiKey(user)
    const read = await client.get('/api/v1/account/report').bearerToken(key)
    read.assertStatus(200)
    assert.deepEqual(read.body().data, { period: 'off', hour: 8, tz: 'UTC', next_at: null })

    const set = await client
      .put('/api/v1/account/report')
      .bearerToken(key)
      .json({ period: 'daily', hour: 6, tz: 'America/New_York' })
    set.assertStatus(200)
    assert.containSubset(set.body().data, { period: 'daily', hour: 6, tz: 'America/New_York' })
    const next = DateTime.fromISO(set.body().data.next_at).setZone('America/New_York')
    assert.deepEqual([next.hour, next.minute], [6, 0])
    await user.refresh()
    assert.equal(user.reportNextAt?.toMillis(), next.toMillis())

    const invalid = await client
      .put('/api/v1/account/report')
      .bearerToken(key)
      .json({ period: 'hourly', hour: 24, tz: 'Nowhere' })
    invalid.assertStatus(422)
    assert.sameMembers(
      invalid.body().errors.map((error: { field: string }) => error.field),
      ['period', 'hour', 'tz']
    )
    const readOnly = await client
      .put('/api/v1/account/report')
      .bearerToken(await makeApiKey(user, 'read-only'))
      .json({ period: 'off', hour: 6, tz: 'UTC' })
    readOnly.assertStatus(403)
  })
})

test.group('Reports: two schedulers', (group) => {
  group.each.setup(() => flushRedis())

  test('two passes at once send each due report once', async ({ assert, cleanup }) => {
    const smtp = await startSmtpReceiver()
    const users: User[] = []
    cleanup(async () => {
      await User.query()
        .whereIn(
          'id',
          users.map((user) => user.id)
        )
        .delete()
      await smtp.close()
    })
    for (let i = 0; i < 12; i++) {
      const user = await makeUser()
      await saveReportSettings(user, { period: 'daily', hour: i % 24, tz: 'UTC' })
      users.push(user)
    }
    const later = new Date(Date.now() + 86_400_000)
    const [a, b] = await Promise.all([
      new ReportPass(3).runOnce(later),
      new ReportPass(3).runOnce(later),
    ])
    assert.equal(a + b, 12)
    assert.lengthOf(smtp.mails, 12)
    assert.lengthOf(new Set(smtp.mails.map((mail) => mail.to[0])), 12)
  })
})
