import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import testUtils from '@adonisjs/core/services/test_utils'
import Channel from '#models/channel'
import User from '#models/user'
import type Token from '#models/token'
import type { ChannelKind } from '#services/alerts/channels/index'
import ChannelService from '#services/alerts/channel_service'
import { channelForm } from '#services/alerts/channels/form'
import FlipDispatcher from '#services/alerts/flip_dispatcher'
import PingService from '#services/tokens/ping_service'
import TokenService from '#services/tokens/token_service'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { spawnWorker, waitFor } from '#tests/helpers/worker_process'
import { allowPrivateReceivers, serviceReceiverSetting } from '#tests/helpers/receivers'

/**
 * Pushover, Gotify, Matrix, Mattermost and Rocket.Chat against local
 * receivers that act as each service: they answer the requests the
 * service documents as it does (its success answer for known credentials,
 * its 4xx for unknown ones), and record what came so each test can check
 * method, path, headers and body.
 */

interface Received {
  kind: string
  method: string
  /** Below the kind's prefix */
  path: string
  headers: IncomingHttpHeaders
  body: string
  json: any
}

interface Answer {
  status: number
  body: unknown
}

type Notice = 'down' | 'up'

interface Service {
  kind: ChannelKind
  /** A Channel's config the service accepts, one it refuses; `base` is the receiver's URL for this kind */
  accepted(base: string): Record<string, unknown>
  refused(base: string): Record<string, unknown>
  /** Whether a request was sent with `accepted`'s credentials */
  isAccepted(request: Received): boolean
  /** The service's answer: its success answer, or its documented 4xx */
  answer(request: Received): Answer
  /** The documented request, for a notice of a Token named `name` */
  check(assert: Assert, request: Received, notice: Notice, name: string): void
  /** What the Channel's last error says after a refused delivery */
  refusal: RegExp
}

const json = (request: Received) => request.headers['content-type']?.startsWith('application/json')
const subject = (name: string, notice: Notice) => `${name} is ${notice.toUpperCase()}`

const PUSHOVER = { token: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi', user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG' }
const GOTIFY_TOKEN = 'AJQz8RfpNUbDWxk'
const MATRIX = {
  token: 'syt_bmdpcA_tEstTokEnAbCdEfGh_1x2y3z',
  room: '!QtykxKocfZaZOUrTwp:example.org',
}
const MATTERMOST_HOOK = 'xbx9hdkiu3yyrgwnf9cmpz1aqa'
const ROCKETCHAT_HOOK = '6592fa4cb2eb1a0c/Ab8bQxWtR4yqz3KcvCmDnEfG'

const services: Service[] = [
  {
    kind: 'pushover',
    // The host is fixed: CHANNEL_API_BASE_URLS points it at the receiver (see the group).
    accepted: () => ({ ...PUSHOVER, priority: 2, sound: 'siren' }),
    refused: () => ({ ...PUSHOVER, user: 'gznej3rKEVAvPUxu9vvNnqpmZpokzF' }),
    isAccepted: (request) => request.json?.user === PUSHOVER.user,
    answer: (request) =>
      request.method === 'POST' && request.path === '/1/messages.json' && json(request)
        ? request.json.token === PUSHOVER.token && request.json.user === PUSHOVER.user
          ? { status: 200, body: { status: 1, request: 'e460545a-8e9b-4a5d-9d1a-3b7f0a1e2c3d' } }
          : {
              status: 400,
              body: {
                user: 'invalid',
                errors: ['user identifier is not a valid user, group, or subscribed user key'],
                status: 0,
                request: '5042853c-402d-4a18-abcb-168734a801de',
              },
            }
        : { status: 404, body: { status: 0, errors: ['not found'] } },
    check(assert, request, notice, name) {
      assert.equal(request.method, 'POST')
      assert.equal(request.path, '/1/messages.json')
      assert.match(request.headers['content-type'] ?? '', /^application\/json/)
      const body = request.json
      assert.containSubset(body, { ...PUSHOVER, title: subject(name, notice), sound: 'siren' })
      assert.isAtMost(body.message.length, 1024)
      assert.include(body.message, subject(name, notice))
      assert.isNumber(body.timestamp)
      if (notice === 'down') {
        // An emergency needs retry and expire (pushover.net/api#priority).
        assert.containSubset(body, { priority: 2, retry: 60, expire: 3600 })
      } else {
        assert.equal(body.priority, 0)
        assert.notProperty(body, 'retry')
        assert.notProperty(body, 'expire')
      }
    },
    refusal: /^Pushover answered 400\b[^:]*: .*user identifier is not a valid user/,
  },
  {
    kind: 'gotify',
    accepted: (base) => ({ url: `${base}/`, token: GOTIFY_TOKEN, priority: 9 }),
    refused: (base) => ({ url: base, token: 'AnotherAppTokn1' }),
    isAccepted: (request) => request.headers['x-gotify-key'] === GOTIFY_TOKEN,
    answer: (request) =>
      request.method === 'POST' && request.path === '/message' && json(request)
        ? request.headers['x-gotify-key'] === GOTIFY_TOKEN
          ? {
              status: 200,
              body: {
                id: 25,
                appid: 5,
                message: request.json.message,
                title: request.json.title,
                priority: request.json.priority,
                date: new Date().toISOString(),
              },
            }
          : {
              status: 401,
              body: {
                error: 'Unauthorized',
                errorCode: 401,
                errorDescription:
                  'you need to provide a valid access token or user credentials to access this api',
              },
            }
        : { status: 404, body: { error: 'Not Found', errorCode: 404, errorDescription: '' } },
    check(assert, request, notice, name) {
      assert.equal(request.method, 'POST')
      assert.equal(request.path, '/message')
      assert.equal(request.headers['x-gotify-key'], GOTIFY_TOKEN)
      // The token goes in the header only, never in the URL.
      assert.notInclude(request.path, GOTIFY_TOKEN)
      assert.containSubset(request.json, {
        title: subject(name, notice),
        priority: notice === 'down' ? 9 : 5,
      })
      assert.include(request.json.message, subject(name, notice))
    },
    refusal: /^Gotify answered 401\b[^:]*: .*Unauthorized/,
  },
  {
    kind: 'matrix',
    accepted: (base) => ({ url: base, ...MATRIX }),
    refused: (base) => ({ url: base, token: 'syt_revoked', room: MATRIX.room }),
    isAccepted: (request) => request.headers.authorization === `Bearer ${MATRIX.token}`,
    answer(request) {
      const match = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/]+)$/.exec(
        request.path
      )
      if (request.method !== 'PUT' || !match || !json(request)) {
        return { status: 404, body: { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' } }
      }
      if (request.headers.authorization !== `Bearer ${MATRIX.token}`) {
        return {
          status: 401,
          body: {
            errcode: 'M_UNKNOWN_TOKEN',
            error: 'Invalid access token passed.',
            soft_logout: false,
          },
        }
      }
      if (decodeURIComponent(match[1]) !== MATRIX.room) {
        return { status: 403, body: { errcode: 'M_FORBIDDEN', error: 'User not in room' } }
      }
      return { status: 200, body: { event_id: `$${match[2]}` } }
    },
    check(assert, request, notice, name) {
      assert.equal(request.method, 'PUT')
      const prefix = `/_matrix/client/v3/rooms/${encodeURIComponent(MATRIX.room)}/send/m.room.message/`
      assert.isTrue(request.path.startsWith(prefix), request.path)
      assert.match(request.path.slice(prefix.length), /^ngip-[0-9a-f]{32}$/)
      assert.equal(request.headers.authorization, `Bearer ${MATRIX.token}`)
      assert.containSubset(request.json, { msgtype: 'm.text', format: 'org.matrix.custom.html' })
      assert.isTrue(request.json.body.startsWith(subject(name, notice)))
      assert.isTrue(
        request.json.formatted_body.startsWith(`<strong>${subject(name, notice)}</strong>`)
      )
    },
    refusal: /^Matrix answered 401\b[^:]*: .*M_UNKNOWN_TOKEN/,
  },
  {
    kind: 'mattermost',
    accepted: (base) => ({
      url: `${base}/hooks/${MATTERMOST_HOOK}`,
      username: 'ngip',
      channel: 'ops-alerts',
    }),
    refused: (base) => ({ url: `${base}/hooks/deletedhook00000000000000000` }),
    isAccepted: (request) => request.path === `/hooks/${MATTERMOST_HOOK}`,
    answer: (request) =>
      request.method === 'POST' && request.path === `/hooks/${MATTERMOST_HOOK}` && json(request)
        ? { status: 200, body: 'ok' }
        : {
            status: 400,
            body: {
              id: 'web.incoming_webhook.invalid.app_error',
              message: 'Invalid webhook.',
              status_code: 400,
            },
          },
    check(assert, request, notice, name) {
      assert.equal(request.method, 'POST')
      assert.equal(request.path, `/hooks/${MATTERMOST_HOOK}`)
      assert.deepEqual(Object.keys(request.json).sort(), ['channel', 'text', 'username'])
      assert.containSubset(request.json, { username: 'ngip', channel: 'ops-alerts' })
      assert.isTrue(request.json.text.startsWith(subject(name, notice)))
    },
    refusal: /^Mattermost answered 400\b[^:]*: .*Invalid webhook/,
  },
  {
    kind: 'rocketchat',
    accepted: (base) => ({
      url: `${base}/hooks/${ROCKETCHAT_HOOK}`,
      alias: 'ngip',
      emoji: ':rotating_light:',
    }),
    refused: (base) => ({ url: `${base}/hooks/6592fa4cb2eb1a0c/revokedrevokedrevoked0` }),
    isAccepted: (request) => request.path === `/hooks/${ROCKETCHAT_HOOK}`,
    answer: (request) =>
      request.method === 'POST' && request.path === `/hooks/${ROCKETCHAT_HOOK}` && json(request)
        ? { status: 200, body: { success: true } }
        : {
            status: 404,
            body: { success: false, error: 'Invalid integration id or token provided.' },
          },
    check(assert, request, notice, name) {
      assert.equal(request.method, 'POST')
      assert.equal(request.path, `/hooks/${ROCKETCHAT_HOOK}`)
      assert.deepEqual(Object.keys(request.json).sort(), ['alias', 'emoji', 'text'])
      assert.containSubset(request.json, { alias: 'ngip', emoji: ':rotating_light:' })
      assert.isTrue(request.json.text.startsWith(subject(name, notice)))
    },
    refusal: /^Rocket\.Chat answered 404\b[^:]*: .*Invalid integration id or token/,
  },
]

const byKind = new Map(services.map((service) => [service.kind as string, service]))

/**
 * One server for every service, each under its kind's prefix
 * (`/<kind>/…`), answering as that service does.
 */
async function startServices(holdFirst?: (request: Received) => Answer | null) {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const [, kind, ...rest] = (req.url ?? '').split('/')
      const body = Buffer.concat(chunks).toString()
      let parsed: unknown = null
      try {
        parsed = JSON.parse(body)
      } catch {}
      const request: Received = {
        kind,
        method: req.method ?? '',
        path: `/${rest.join('/')}`,
        headers: req.headers,
        body,
        json: parsed,
      }
      received.push(request)
      const service = byKind.get(kind)
      const answer = holdFirst?.(request) ??
        service?.answer(request) ?? { status: 404, body: 'no such service' }
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
      const type = typeof answer.body === 'string' ? 'text/plain' : 'application/json'
      res.writeHead(answer.status, { 'content-type': type }).end(text)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    base: (kind: string) => `${url}/${kind}`,
    received,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function recordPing(token: Token, kind?: 'fail') {
  return PingService.record(
    token,
    { token: token.uuid, kind },
    { method: 'API', remoteAddr: '', userAgent: '' }
  )
}

test.group('Channel services (b): down and up through the worker', (group) => {
  let receiver: Awaited<ReturnType<typeof startServices>>
  let worker: ReturnType<typeof spawnWorker>
  const users: User[] = []

  group.setup(async () => {
    await flushRedis()
    receiver = await startServices()
    worker = spawnWorker({
      QUEUE_DRIVER: 'redis',
      INTEGRATIONS_ALLOW_PRIVATE_IPS: 'true',
      CHANNEL_API_BASE_URLS: serviceReceiverSetting(
        ['api.pushover.net'],
        receiver.base('pushover')
      ),
      // A refused delivery is retried later than these tests last.
      NOTIFY_RETRY_BASE_MS: '120000',
    })
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`worker not ready:\n${worker.output()}`)), 120_000)
    })
    try {
      await Promise.race([worker.ready, late])
    } catch (error) {
      await worker.kill()
      await receiver.close()
      throw error
    } finally {
      clearTimeout(timer)
    }
    return async () => {
      await worker.kill()
      await receiver.close()
      await User.query()
        .whereIn(
          'id',
          users.map((user) => user.id)
        )
        .delete()
    }
  })
  group.each.setup(allowPrivateReceivers)
  group.each.timeout(90_000)

  test('{kind}: a down and an up notice as the service documents them; a refusal is the last error')
    .with(services)
    .run(async ({ assert }, service) => {
      const user = await makeUser()
      users.push(user)
      const name = `${service.kind} backup`
      const token = await makeToken(user, { name })
      const base = receiver.base(service.kind)
      const good = await ChannelService.create(user, {
        kind: service.kind,
        name: 'accepted',
        config: service.accepted(base),
      })
      const bad = await ChannelService.create(user, {
        kind: service.kind,
        name: 'refused',
        config: service.refused(base),
      })
      await TokenService.update(token, { channels: [good.id, bad.id] })
      const mine = () =>
        receiver.received.filter(
          (request) => request.kind === service.kind && service.isAccepted(request)
        )

      await recordPing(token, 'fail')
      const [down] = await waitFor(
        `the ${service.kind} down notice`,
        async () => mine(),
        (requests) => requests.length >= 1
      )
      service.check(assert, down, 'down', name)
      const refused = await waitFor(
        'the refusal to be recorded on the Channel',
        () => Channel.findOrFail(bad.id),
        (channel) => channel.lastError !== null
      )
      assert.match(refused.lastError!, /^\d{4}-\d\d-\d\dT[\d:.]+Z: /)
      assert.match(refused.lastError!.replace(/^\S+: /, ''), service.refusal)
      assert.isNull(refused.lastNotifyAt)

      await recordPing(token)
      const requests = await waitFor(
        `the ${service.kind} up notice`,
        async () => mine(),
        (all) => all.length >= 2
      )
      assert.lengthOf(requests, 2)
      service.check(assert, requests[1], 'up', name)
      const delivered = await waitFor(
        'the delivery to be recorded on the Channel',
        () => Channel.findOrFail(good.id),
        (channel) => channel.lastNotifyAt !== null
      )
      assert.isNull(delivered.lastError)
      if (service.kind === 'matrix') {
        // Each notice its own transaction id.
        assert.notEqual(requests[0].path, requests[1].path)
      }
    })
    .timeout(90_000)
})

test.group('Channel services (b): retries, redaction, validation', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())
  group.each.setup(allowPrivateReceivers)

  test('matrix: a retry after a lost answer reuses the transaction id, so the room gets one message', async ({
    assert,
  }) => {
    // The first PUT is answered 502 (a proxy lost the homeserver's answer); the retry succeeds.
    let first = true
    const receiver = await startServices(() => {
      if (!first) {
        return null
      }
      first = false
      return { status: 502, body: 'Bad Gateway' }
    })
    try {
      const user = await makeUser()
      const token = await makeToken(user, { name: 'db' })
      const channel = await ChannelService.create(user, {
        kind: 'matrix',
        name: 'm',
        config: { url: receiver.base('matrix'), ...MATRIX },
      })
      await TokenService.update(token, { channels: [channel.id] })
      await recordPing(token, 'fail')
      await new FlipDispatcher().runOnce()
      assert.lengthOf(receiver.received, 2)
      assert.equal(receiver.received[0].path, receiver.received[1].path)
      assert.equal(receiver.received[0].body, receiver.received[1].body)
      await channel.refresh()
      assert.match(channel.lastError ?? '', /Matrix answered 502/)
      assert.isNotNull(channel.lastNotifyAt)
    } finally {
      await receiver.close()
    }
  })

  test('matrix: a 429 names its wait in the body (retry_after_ms), and the delivery takes it as the wait', async ({
    assert,
  }) => {
    let first = true
    const receiver = await startServices(() => {
      if (!first) {
        return null
      }
      first = false
      return {
        status: 429,
        body: JSON.stringify({
          errcode: 'M_LIMIT_EXCEEDED',
          error: 'Too many requests',
          retry_after_ms: 2000,
        }),
      }
    })
    try {
      const user = await makeUser()
      const token = await makeToken(user, { name: 'db' })
      const channel = await ChannelService.create(user, {
        kind: 'matrix',
        name: 'm',
        config: { url: receiver.base('matrix'), ...MATRIX },
      })
      await TokenService.update(token, { channels: [channel.id] })
      await recordPing(token, 'fail')
      await new FlipDispatcher().runOnce()
      await channel.refresh()
      assert.match(channel.lastError ?? '', /Matrix answered 429 \(retry after 2 s\)/)
    } finally {
      await receiver.close()
    }
  })

  test('{kind}: a read-only API key sees none of its secrets')
    .with(services)
    .run(async ({ client, assert }, service) => {
      const user = await makeUser()
      const reader = await makeApiKey(user, 'read-only')
      const writer = await makeApiKey(user)
      const config = service.accepted('https://service.example.com/base')
      const created = await client
        .post('/api/v1/channels')
        .bearerToken(writer)
        .json({ kind: service.kind, name: 'c', config })
      created.assertStatus(201)
      const id = created.body().data.id
      // The writer sees the config it gave; the reader sees it without credentials.
      assert.deepEqual(created.body().data.config, config)
      const secretValues: Record<string, string> = {
        pushover: [PUSHOVER.token, PUSHOVER.user].join(' '),
        gotify: GOTIFY_TOKEN,
        matrix: MATRIX.token,
        mattermost: MATTERMOST_HOOK,
        rocketchat: ROCKETCHAT_HOOK.split('/')[1],
      }
      for (const path of [`/api/v1/channels/${id}`, '/api/v1/channels']) {
        const seen = await client.get(path).bearerToken(reader)
        seen.assertStatus(200)
        for (const secret of secretValues[service.kind].split(' ')) {
          assert.notInclude(seen.text(), secret, `${path} shows a secret`)
        }
      }
      const one = await client.get(`/api/v1/channels/${id}`).bearerToken(reader)
      const shown = one.body().data.config
      // What is no credential stays readable.
      const plain: Record<string, Record<string, unknown>> = {
        pushover: { priority: 2, sound: 'siren', token: '********', user: '********' },
        gotify: { url: 'https://service.example.com/base/', token: '********', priority: 9 },
        matrix: { url: 'https://service.example.com/base', room: MATRIX.room, token: '********' },
        mattermost: {
          url: 'https://service.example.com/…',
          username: 'ngip',
          channel: 'ops-alerts',
        },
        rocketchat: {
          url: 'https://service.example.com/…',
          alias: 'ngip',
          emoji: ':rotating_light:',
        },
      }
      assert.deepEqual(shown, plain[service.kind])
    })

  const invalid: {
    kind: ChannelKind
    config: Record<string, unknown>
    field: string
    message: string
  }[] = [
    {
      kind: 'pushover',
      config: { token: 'short', user: PUSHOVER.user },
      field: 'config.token',
      message: 'A Pushover API token has 30 letters and digits',
    },
    {
      kind: 'pushover',
      config: { ...PUSHOVER, user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRs!' },
      field: 'config.user',
      message: 'A Pushover user or group key has 30 letters and digits',
    },
    {
      kind: 'pushover',
      config: { ...PUSHOVER, priority: 3 },
      field: 'config.priority',
      message: 'The Pushover priority is from -2 to 2',
    },
    {
      kind: 'gotify',
      config: { url: 'https://gotify.example.com', token: 'has space', priority: 1 },
      field: 'config.token',
      message: 'A Gotify application token has printable ASCII characters only',
    },
    {
      kind: 'gotify',
      config: { url: 'https://gotify.example.com', token: GOTIFY_TOKEN, priority: 11 },
      field: 'config.priority',
      message: 'The Gotify priority is from 0 to 10',
    },
    {
      kind: 'matrix',
      config: { url: 'https://matrix.example.org', token: MATRIX.token, room: '#ops:example.org' },
      field: 'config.room',
      message: 'A Matrix room id looks like !abc123:example.org',
    },
    {
      kind: 'matrix',
      config: { url: 'matrix.example.org', token: MATRIX.token, room: MATRIX.room },
      field: 'config.url',
      message: 'The url field must be a valid URL',
    },
    {
      kind: 'mattermost',
      config: { url: 'https://mm.example.com/hooks/x', channel: 'Town Square' },
      field: 'config.channel',
      message: 'A Mattermost channel is its name as in its URL',
    },
    {
      kind: 'rocketchat',
      config: { url: 'https://chat.example.com/hooks/a/b', emoji: 'rotating_light' },
      field: 'config.emoji',
      message: 'A Rocket.Chat emoji is written with colons, as :rotating_light:',
    },
    {
      kind: 'rocketchat',
      config: { url: 'https://chat.example.com/hooks/a/b', channel: 'general' },
      field: 'config.channel',
      message: 'A Rocket.Chat channel is #channel, or @user for a direct message',
    },
  ]

  test('{kind} through API v1: {field} refused with a message that says what is wrong')
    .with(invalid)
    .run(async ({ client, assert }, { kind, config, field, message }) => {
      const writer = await makeApiKey(await makeUser())
      const response = await client
        .post('/api/v1/channels')
        .bearerToken(writer)
        .json({ kind, name: 'c', config })
      response.assertStatus(422)
      const errors = response.body().errors as { field: string; message: string }[]
      const error = errors.find((one) => one.field === field)
      assert.exists(error, JSON.stringify(errors))
      assert.include(error!.message, message)
    })

  test('{kind} through the admin form: {field} refused, the message beside the field')
    .with(invalid)
    .run(async ({ client, assert }, { kind, config, field, message }) => {
      const user = await makeUser()
      // As a browser posts it: every value a string, an empty field empty.
      const form = Object.fromEntries(
        Object.entries(config).map(([name, value]) => [name, String(value)])
      )
      const response = await client
        .post('/channels')
        .form({ kind, name: 'c', config: form })
        .loginAs(user)
        .withCsrfToken()
        .redirects(0)
      assert.equal(response.status(), 302)
      const errors = response.flashMessages().inputErrorsBag as Record<string, string[]>
      assert.exists(errors?.[field], JSON.stringify(errors))
      assert.include(errors[field].join(' '), message)
      assert.lengthOf(await Channel.query().where('user_id', user.id), 0)
      // The form shown again puts it beside its input.
      const page = await client
        .get('/channels/new')
        .loginAs(user)
        .withFlashMessages({ inputErrorsBag: errors })
      const name = field.replace(/^config\./, '')
      const shared = channelForm().fields.find(
        (one) => one.name === name && one.kinds.includes(kind)
      )
      const id = shared?.id ?? `config-${name}-${kind}`
      assert.match(page.text(), new RegExp(`id="${id}-error">[^<]*${escapeRegExp(message)}`))
    })

  test('the Channel form offers each kind with its own inputs', async ({ client, assert }) => {
    const page = await client.get('/channels/new').loginAs(await makeUser())
    const html = page.text()
    for (const label of ['Pushover', 'Gotify', 'Matrix', 'Mattermost', 'Rocket.Chat']) {
      assert.include(html, `>${label}</option>`)
    }
    assert.include(html, 'id="config-priority-pushover"')
    assert.include(html, '>Room id')
    assert.include(html, '>Homeserver')
    assert.include(html, '>Gotify server')

    // The edit form shows the stored priority chosen.
    const user = await makeUser()
    const channel = await ChannelService.create(user, {
      kind: 'pushover',
      name: 'p',
      config: { ...PUSHOVER, priority: -1 },
    })
    const edit = await client.get(`/channels/${channel.id}/edit`).loginAs(user)
    assert.match(edit.text(), /<option value="-1"\s+selected>/)
    assert.notMatch(edit.text(), /<option value="0"\s+selected>/)
  })
})
