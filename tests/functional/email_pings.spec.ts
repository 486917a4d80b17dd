import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import config from '@adonisjs/core/services/config'
import testUtils from '@adonisjs/core/services/test_utils'
import env from '#start/env'
import type Token from '#models/token'
import type User from '#models/user'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { queuedPings } from '#tests/helpers/ping'
import { FaultProxy } from '#tests/helpers/fault_proxy'
import { SmtpClient, sendMail } from '#tests/helpers/smtp'
import { EMAIL_DOMAIN, spawnSmtpd } from '#tests/helpers/smtpd'
import { spawnWorker, waitFor } from '#tests/helpers/worker_process'

const UNKNOWN = '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'

/** The Pings PostgreSQL holds for a Token, oldest first. */
async function storedPings(token: Token) {
  const rows = await db
    .from('pings')
    .where('token_id', token.id)
    .orderBy('id')
    .select('kind', 'method', 'user_agent', 'body')
  return rows.map((row) => ({ ...row, body: row.body ? Buffer.from(row.body).toString() : null }))
}

async function statusOf(token: Token) {
  const row = await db.from('tokens').where('id', token.id).select('status').first()
  return row.status as string
}

/**
 * Mail through the real listener (`pnpm smtpd`) and the real worker: no
 * global transaction, the worker commits for real.
 */
test.group('Email pings: mail to the SMTP listener becomes Pings', (group) => {
  let user: User
  let smtpd: Awaited<ReturnType<typeof spawnSmtpd>>
  let worker: ReturnType<typeof spawnWorker>
  group.setup(async () => {
    await flushRedis()
    smtpd = await spawnSmtpd({ PING_BODY_LIMIT: '300' })
    worker = spawnWorker()
    await worker.ready
    return async () => {
      await worker.kill()
      await smtpd.close()
    }
  })
  group.each.setup(async () => {
    user = await makeUser()
    return () => user.delete()
  })

  test('a mail to <uuid>@domain is stored as a Ping with its subject and text as the body', async ({
    assert,
  }) => {
    const token = await makeToken(user, { name: 'Nightly backup' })
    const sent = await sendMail(smtpd.port, {
      from: 'cron@db1.example.com',
      to: [`${token.uuid}@${EMAIL_DOMAIN}`],
      subject: 'Backup finished',
      text: 'dumped 42 tables\nall good',
    })
    assert.deepEqual(sent.rcpt, ['250 Accepted'])
    assert.match(sent.end!, /^250 /)
    const [ping] = await waitFor(
      'the Ping',
      () => storedPings(token),
      (rows) => rows.length === 1
    )
    assert.deepEqual(ping, {
      kind: 'success',
      method: 'EMAIL',
      user_agent: 'Email from cron@db1.example.com',
      body: 'Subject: Backup finished\r\n\r\ndumped 42 tables\nall good\n',
    })
    assert.equal(await statusOf(token), 'up')
  }).timeout(60_000)

  test('+fail makes the Token down; the slug form and +start reach theirs', async ({ assert }) => {
    const failing = await makeToken(user, { name: 'Failing job' })
    const bySlug = await makeToken(user, { name: 'Report', slug: 'report' })
    const sent = await sendMail(smtpd.port, {
      to: [`${failing.uuid}+fail@${EMAIL_DOMAIN}`, `${user.pingKey}+report+start@${EMAIL_DOMAIN}`],
      subject: 'Job output',
      text: 'exit 3',
    })
    assert.deepEqual(sent.rcpt, ['250 Accepted', '250 Accepted'])
    assert.match(sent.end!, /^250 /)
    await waitFor(
      'the fail Ping',
      () => statusOf(failing),
      (status) => status === 'down'
    )
    const [fail] = await storedPings(failing)
    assert.equal(fail.kind, 'fail')
    const [start] = await waitFor(
      'the start Ping',
      () => storedPings(bySlug),
      (r) => r.length === 1
    )
    assert.equal(start.kind, 'start')
  }).timeout(60_000)

  test('keyword filters read the subject and the text apart; a POST-only Token still takes mail', async ({
    assert,
  }) => {
    const bySubject = await makeToken(user, {
      name: 'Backup by subject',
      filter_subject: true,
      failure_kw: 'FAILED',
      methods: 'POST',
    })
    const byBody = await makeToken(user, {
      name: 'Backup by body',
      filter_body: true,
      failure_kw: 'FAILED',
    })
    // "failed" only in the text: the subject filter does not see it, the body filter does
    const sent = await sendMail(smtpd.port, {
      to: [`${bySubject.uuid}@${EMAIL_DOMAIN}`, `${byBody.uuid}@${EMAIL_DOMAIN}`],
      subject: 'Backup report',
      text: '3 tables FAILED',
    })
    assert.match(sent.end!, /^250 /)
    await waitFor(
      'the body-filtered Token down',
      () => statusOf(byBody),
      (status) => status === 'down'
    )
    await waitFor(
      'the subject-filtered Ping',
      () => storedPings(bySubject),
      (rows) => rows.length === 1
    )
    const [stored] = await storedPings(bySubject)
    assert.equal(stored.kind, 'success')
    assert.equal(await statusOf(bySubject), 'up')

    await sendMail(smtpd.port, {
      to: [`${bySubject.uuid}@${EMAIL_DOMAIN}`],
      subject: 'Backup FAILED',
      text: 'see the log',
    })
    await waitFor(
      'the subject-filtered Token down',
      () => statusOf(bySubject),
      (status) => status === 'down'
    )
  }).timeout(60_000)

  test('the body is cut at PING_BODY_LIMIT; an HTML-only mail is kept as text', async ({
    assert,
  }) => {
    const token = await makeToken(user, { name: 'Chatty job' })
    const raw = [
      'From: cron@example.com',
      `To: ${token.uuid}@${EMAIL_DOMAIN}`,
      'Subject: Report',
      'Content-Type: text/html; charset=utf-8',
      '',
      `<html><body><p>rows copied</p><p>${'x'.repeat(1000)}</p></body></html>`,
    ].join('\r\n')
    const sent = await sendMail(smtpd.port, { to: [`${token.uuid}@${EMAIL_DOMAIN}`], raw })
    assert.match(sent.end!, /^250 /)
    const [ping] = await waitFor(
      'the Ping',
      () => storedPings(token),
      (rows) => rows.length === 1
    )
    assert.lengthOf(ping.body!, 300)
    assert.match(ping.body!, /^Subject: Report\r\n\r\nrows copied\n\nx+$/)
  }).timeout(60_000)
})

test.group('Email pings: what the listener refuses', (group) => {
  let user: User
  group.each.setup(async () => {
    await flushRedis()
    user = await makeUser()
    return () => user.delete()
  })

  test('an unknown uuid, another domain or a bad address get 550 at RCPT; nothing is queued', async ({
    assert,
    cleanup,
  }) => {
    const token = await makeToken(user, { name: 'Known' })
    const smtpd = await spawnSmtpd()
    cleanup(() => smtpd.close())
    const sent = await sendMail(smtpd.port, {
      to: [
        `${UNKNOWN}@${EMAIL_DOMAIN}`,
        `${token.uuid}@elsewhere.example`,
        `${token.uuid}+reboot@${EMAIL_DOMAIN}`,
        `${user.pingKey}+no-such-slug@${EMAIL_DOMAIN}`,
      ],
    })
    assert.deepEqual(sent.rcpt, [
      '550 5.1.1 No Token with this address',
      '550 5.1.1 Not a ping address of this server',
      '550 5.1.1 Not a ping address of this server',
      '550 5.1.1 No Token with this address',
    ])
    assert.isUndefined(sent.end)
    assert.deepEqual(await queuedPings(), [])
  })

  test('a message above SMTPD_MAX_MESSAGE_BYTES gets 552 and no Ping', async ({
    assert,
    cleanup,
  }) => {
    const token = await makeToken(user, { name: 'Big' })
    const smtpd = await spawnSmtpd({ SMTPD_MAX_MESSAGE_BYTES: '2048' })
    cleanup(() => smtpd.close())
    const to = [`${token.uuid}@${EMAIL_DOMAIN}`]
    const big = await sendMail(smtpd.port, { to, text: 'y'.repeat(4000) })
    assert.deepEqual(big.rcpt, ['250 Accepted'])
    assert.match(big.end!, /^552 /)
    assert.deepEqual(await queuedPings(), [])
    const small = await sendMail(smtpd.port, { to, text: 'y'.repeat(1000) })
    assert.match(small.end!, /^250 /)
    assert.lengthOf(await queuedPings(), 1)
  })

  test('Redis down: 451 at RCPT and at the end of the message, never 250; back, it accepts', async ({
    assert,
    cleanup,
  }) => {
    const token = await makeToken(user, { name: 'Outage' })
    const proxy = await FaultProxy.start(env.get('REDIS_PORT', 6379))
    cleanup(() => proxy.close())
    const smtpd = await spawnSmtpd({ REDIS_PORT: String(proxy.port) })
    cleanup(() => smtpd.close())
    const to = `${token.uuid}@${EMAIL_DOMAIN}`

    // Redis goes away after RCPT: the message's pings cannot be stored.
    const { client } = await SmtpClient.open(smtpd.port)
    cleanup(() => client.close())
    await client.send('EHLO test.example')
    await client.send('MAIL FROM:<cron@example.com>')
    assert.equal(await client.send(`RCPT TO:<${to}>`), '250 Accepted')
    assert.match(await client.send('DATA'), /^354 /)
    await proxy.cut()
    assert.match(await client.data('Subject: lost?\r\n\r\nbody'), /^451 4\.3\.0 /)

    const down = await sendMail(smtpd.port, { to: [to] })
    assert.deepEqual(down.rcpt, ['451 4.3.0 Pings cannot be stored right now, try again later'])
    assert.deepEqual(await queuedPings(), [])

    await proxy.restore()
    const back = await waitFor(
      'the listener back',
      () => sendMail(smtpd.port, { to: [to], subject: 'again' }),
      (result) => result.end?.startsWith('250') === true,
      10_000
    )
    assert.match(back.end!, /^250 /)
    const queued = await queuedPings()
    assert.lengthOf(queued, 1)
    assert.equal(queued[0].token, token.uuid)
  }).timeout(30_000)

  test('a message answered 451 that Redis stored late: its retry gets 250 and is not stored again', async ({
    assert,
    cleanup,
  }) => {
    const token = await makeToken(user, { name: 'Nightly' })
    const proxy = await FaultProxy.start(env.get('REDIS_PORT', 6379))
    cleanup(() => proxy.close())
    const smtpd = await spawnSmtpd({ REDIS_PORT: String(proxy.port), PING_REDIS_TIMEOUT_MS: '100' })
    cleanup(() => smtpd.close())
    const to = `${token.uuid}@${EMAIL_DOMAIN}`
    /** One delivery as an MTA makes it; `before` runs once the message is sent up to its end. */
    const deliver = async (before: () => void = () => {}) => {
      const { client } = await SmtpClient.open(smtpd.port)
      try {
        await client.send('EHLO test.example')
        await client.send('MAIL FROM:<cron@example.com>')
        assert.equal(await client.send(`RCPT TO:<${to}>`), '250 Accepted')
        assert.match(await client.send('DATA'), /^354 /)
        before()
        return await client.data('Subject: nightly backup\r\n\r\ndone')
      } finally {
        client.close()
      }
    }
    const ours = async () => {
      const queued = await queuedPings()
      return queued.filter((ping) => ping.token === token.uuid)
    }

    // Redis is late, not down: the listener gives up after 100 ms, Redis runs the write after.
    assert.match(await deliver(() => proxy.freeze()), /^451 4\.3\.0 /)
    proxy.thaw()
    await waitFor('the late write on the stream', ours, (pings) => pings.length === 1)

    assert.match(await deliver(), /^250 /, 'the MTA’s retry is accepted')
    assert.lengthOf(await ours(), 1, 'and not stored a second time')
    assert.match(await deliver(), /^250 /)
    assert.lengthOf(await ours(), 2, 'the next message alike is a ping of its own')
  }).timeout(30_000)
})

test.group('Email pings: the Token page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    const before = config.get<string>('ngip.pingEmailDomain', '')
    return () => config.set('ngip.pingEmailDomain', before)
  })

  test('shows the email ping address while PING_EMAIL_DOMAIN is set, and nothing while not', async ({
    assert,
    client,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Mailed job' })
    config.set('ngip.pingEmailDomain', EMAIL_DOMAIN)
    const shown = await client.get(`/tokens/${token.uuid}`).loginAs(user)
    shown.assertStatus(200)
    shown.assertTextIncludes(`${token.uuid}@${EMAIL_DOMAIN}`)
    config.set('ngip.pingEmailDomain', '')
    const off = await client.get(`/tokens/${token.uuid}`).loginAs(user)
    off.assertStatus(200)
    off.assertTextIncludes(`/ping/${token.uuid}`)
    assert.notInclude(off.text(), 'id="ping-email"')
  })

  test('API v1 gives the address as ping_email while PING_EMAIL_DOMAIN is set, null while not', async ({
    assert,
    client,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Mailed job' })
    const key = await makeApiKey(user)
    config.set('ngip.pingEmailDomain', EMAIL_DOMAIN)
    const on = await client.get(`/api/v1/tokens/${token.uuid}`).bearerToken(key)
    on.assertStatus(200)
    assert.equal(on.body().data.ping_email, `${token.uuid}@${EMAIL_DOMAIN}`)
    config.set('ngip.pingEmailDomain', '')
    const off = await client.get(`/api/v1/tokens/${token.uuid}`).bearerToken(key)
    assert.isNull(off.body().data.ping_email)
  })
})
