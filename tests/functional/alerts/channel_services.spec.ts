import { test } from '@japa/runner'
import type { Assert } from '@japa/assert'
import Channel from '#models/channel'
import User from '#models/user'
import type Token from '#models/token'
import ChannelService from '#services/alerts/channel_service'
import { ANY_CHANNEL_KINDS, type ChannelKind } from '#services/alerts/channels/index'
import PingService from '#services/tokens/ping_service'
import TokenService from '#services/tokens/token_service'
import { makeApiKey, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { spawnWorker, waitFor } from '#tests/helpers/worker_process'
import {
  allowPrivateReceivers,
  serviceReceiverSetting,
  startServiceReceiver,
  type ServiceAnswer,
  type TimedRequest,
} from '#tests/helpers/receivers'

/**
 * Each service a Channel kind talks to, as its documentation describes it: the
 * request it takes for a down and an up Flip, and what it answers. A local
 * receiver plays the service; the real worker (on Redis) delivers.
 *
 * A kind with a service host of its own (`hosts`) reaches the receiver through
 * CHANNEL_API_BASE_URLS, each host under a path of its name: a request to
 * api.telegram.org arrives as /api.telegram.org/bot…/sendMessage.
 */
interface Flip {
  status: 'down' | 'up'
  uuid: string
  name: string
}

interface ServiceCase {
  kind: ChannelKind
  /** A config that reaches the receiver; `base` is where a URL of the config points */
  config: (base: string) => Record<string, unknown>
  /** As the service answers a request it takes */
  ok: ServiceAnswer
  /** Checks one request (method, path, headers, body) against the service's documentation */
  check: (assert: Assert, request: TimedRequest, flip: Flip) => void
  /** A config the validator refuses, the field it names and what it says */
  invalid: { config: Record<string, unknown>; field: string; message: RegExp }
  /** A 4xx the service gives for a request it will never take */
  refusal: ServiceAnswer
  /** What in `config` is a credential, which a read-only API key must not see */
  secrets: string[]
}

const json = (request: TimedRequest) => JSON.parse(request.body)
const jsonAnswer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
})

/** The text every kind's message holds: the subject and the Token's ping URL */
function assertMentions(assert: Assert, text: string, flip: Flip) {
  assert.include(text, `${flip.name} is ${flip.status.toUpperCase()}`)
  assert.include(text, flip.uuid)
}

function assertJsonPost(assert: Assert, request: TimedRequest, url: string) {
  assert.equal(request.method, 'POST')
  assert.equal(request.url, url)
  assert.match(request.headers['content-type'] ?? '', /^application\/json/)
}

const TELEGRAM_TOKEN = '123456789:AAEhBP0av28kVz3tMVdY8yBx4-secretTok'
const PAGERDUTY_KEY = 'Rsecret456789abcdef0123456789ABC'
const OPSGENIE_KEY = 'abcdef01-2345-4678-9abc-def012345678'

const CASES: ServiceCase[] = [
  {
    kind: 'discord',
    config: (base) => ({ url: `${base}/api/webhooks/123456789012345678/discord-secret` }),
    // Execute Webhook answers 204 No Content unless asked to wait
    ok: { status: 204 },
    check(assert, request, flip) {
      assertJsonPost(assert, request, '/api/webhooks/123456789012345678/discord-secret')
      const body = json(request)
      assert.isAtMost(body.content.length, 2000)
      assertMentions(assert, body.content, flip)
      assert.deepEqual(body.allowed_mentions, { parse: [] })
    },
    invalid: {
      config: { url: 'discord.com/api/webhooks/1/x' },
      field: 'config.url',
      message: /url/i,
    },
    refusal: jsonAnswer(404, { message: 'Unknown Webhook', code: 10015 }),
    secrets: ['discord-secret'],
  },
  {
    kind: 'telegram',
    config: () => ({ bot_token: TELEGRAM_TOKEN, chat_id: '-1001234567890' }),
    ok: jsonAnswer(200, {
      ok: true,
      result: { message_id: 7, chat: { id: -1001234567890, type: 'supergroup' }, date: 0 },
    }),
    check(assert, request, flip) {
      assertJsonPost(assert, request, `/api.telegram.org/bot${TELEGRAM_TOKEN}/sendMessage`)
      const body = json(request)
      assert.equal(body.chat_id, '-1001234567890')
      assert.isAtMost(body.text.length, 4096)
      assertMentions(assert, body.text, flip)
    },
    invalid: {
      config: { bot_token: 'not-a-token', chat_id: '-100' },
      field: 'config.bot_token',
      message: /@BotFather/,
    },
    refusal: jsonAnswer(403, {
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot was kicked from the supergroup chat',
    }),
    secrets: [TELEGRAM_TOKEN],
  },
  {
    kind: 'teams',
    config: (base) => ({
      url: `${base}/workflows/0123abcd/triggers/manual/paths/invoke?api-version=2016-06-01&sig=teams-secret`,
    }),
    ok: { status: 202 },
    check(assert, request, flip) {
      assertJsonPost(
        assert,
        request,
        '/workflows/0123abcd/triggers/manual/paths/invoke?api-version=2016-06-01&sig=teams-secret'
      )
      const body = json(request)
      assert.equal(body.type, 'message')
      assert.lengthOf(body.attachments, 1)
      const [attachment] = body.attachments
      assert.equal(attachment.contentType, 'application/vnd.microsoft.card.adaptive')
      assert.equal(attachment.content.type, 'AdaptiveCard')
      assert.match(attachment.content.version, /^1\.\d$/)
      assert.equal(attachment.content.body[0].type, 'TextBlock')
      // The card's words: its text blocks and its facts
      const words = attachment.content.body.flatMap(
        (element: { text?: string; facts?: { title: string; value: string }[] }) =>
          element.facts ? element.facts.map((fact) => `${fact.title}: ${fact.value}`) : element.text
      )
      assertMentions(assert, words.join('\n'), flip)
    },
    invalid: { config: { url: 'ftp://example.com/x' }, field: 'config.url', message: /url/i },
    refusal: jsonAnswer(400, { error: { code: 'InvalidRequestContent' } }),
    secrets: ['teams-secret'],
  },
  {
    kind: 'pagerduty',
    config: () => ({ routing_key: PAGERDUTY_KEY }),
    ok: jsonAnswer(202, { status: 'success', message: 'Event processed', dedup_key: 'k' }),
    check(assert, request, flip) {
      assertJsonPost(assert, request, '/events.pagerduty.com/v2/enqueue')
      const body = json(request)
      assert.equal(body.routing_key, PAGERDUTY_KEY)
      assert.equal(body.dedup_key, flip.uuid)
      if (flip.status === 'up') {
        assert.equal(body.event_action, 'resolve')
        return
      }
      assert.equal(body.event_action, 'trigger')
      assert.equal(body.payload.summary, `${flip.name} is DOWN`)
      assert.equal(body.payload.severity, 'critical')
      assert.isString(body.payload.source)
      assert.isTrue(Number.isFinite(Date.parse(body.payload.timestamp)))
    },
    invalid: {
      config: { routing_key: 'short' },
      field: 'config.routing_key',
      message: /32 letters and digits/,
    },
    refusal: jsonAnswer(400, {
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: ['Length of routing_key is incorrect (should be 32 characters)'],
    }),
    secrets: [PAGERDUTY_KEY],
  },
  {
    kind: 'opsgenie',
    config: () => ({ api_key: OPSGENIE_KEY, region: 'eu' }),
    ok: jsonAnswer(202, { result: 'Request will be processed', took: 0.1, requestId: 'r' }),
    check(assert, request, flip) {
      assert.equal(request.headers.authorization, `GenieKey ${OPSGENIE_KEY}`)
      const body = json(request)
      if (flip.status === 'up') {
        const path = `/api.eu.opsgenie.com/v2/alerts/${flip.uuid}/close?identifierType=alias`
        assertJsonPost(assert, request, path)
        assert.equal(body.source, 'ngip')
        return
      }
      assertJsonPost(assert, request, '/api.eu.opsgenie.com/v2/alerts')
      assert.equal(body.message, `${flip.name} is DOWN`)
      assert.isAtMost(body.message.length, 130)
      assert.equal(body.alias, flip.uuid)
      assert.equal(body.priority, 'P1')
      assertMentions(assert, body.description, flip)
    },
    invalid: {
      config: { api_key: OPSGENIE_KEY, region: 'asia' },
      field: 'config.region',
      message: /us or eu/,
    },
    refusal: jsonAnswer(422, { message: 'Request body is not processable', took: 0.0 }),
    secrets: [OPSGENIE_KEY],
  },
]

/**
 * Answers scripted per Token (by its uuid in the request), then the service's usual answer.
 */
const scripts = new Map<string, { ok: ServiceAnswer; first: ServiceAnswer[] }>()

function answerFor(request: TimedRequest): ServiceAnswer {
  for (const [uuid, script] of scripts) {
    if (request.url.includes(uuid) || request.body.includes(uuid)) {
      return script.first.shift() ?? script.ok
    }
  }
  return { status: 500, body: 'no Token of this test in the request' }
}

let receiver: Awaited<ReturnType<typeof startServiceReceiver>>

function requestsOf(token: Token) {
  return receiver.requests.filter(
    (request) => request.url.includes(token.uuid) || request.body.includes(token.uuid)
  )
}

/** A user, a Token and a Channel of the case's kind on it, all committed (the worker reads them) */
async function setUp(row: ServiceCase, cleanup: (fn: () => Promise<void>) => void) {
  const user = await makeUser()
  cleanup(async () => {
    await User.query().where('id', user.id).delete()
  })
  // A name in another script, with quotes and an emoji: it must reach each service intact.
  const token = await makeToken(user, { name: `Бэкап "${row.kind}" 🚀` })
  const channel = await ChannelService.create(user, {
    kind: row.kind,
    name: row.kind,
    config: row.config(`${receiver.url}`),
  })
  await TokenService.update(token, { channels: [channel.id] })
  return { token, channel }
}

function recordPing(token: Token, kind?: 'fail') {
  return PingService.record(
    token,
    { token: token.uuid, kind },
    { method: 'API', remoteAddr: '', userAgent: '' }
  )
}

function waitForRequests(token: Token, count: number, timeoutMs = 30_000) {
  return waitFor(
    `${count} request(s) of the Token`,
    async () => requestsOf(token).length,
    (seen) => seen >= count,
    timeoutMs
  )
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test.group(
  'Channel services: each kind delivers a down and an up as its service documents',
  (group) => {
    group.setup(async () => {
      await flushRedis()
      receiver = await startServiceReceiver(answerFor)
      const hosts = ANY_CHANNEL_KINDS.flatMap((kind) => kind.hosts ?? [])
      const worker = spawnWorker({
        QUEUE_DRIVER: 'redis',
        INTEGRATIONS_ALLOW_PRIVATE_IPS: 'true',
        // Each service host under a path of its name on the receiver
        CHANNEL_API_BASE_URLS: hosts
          .map((host) => serviceReceiverSetting([host], `${receiver.url}/${host}`))
          .join(','),
      })
      await worker.ready
      return async () => {
        await worker.kill()
        await receiver.close()
      }
    })
    group.each.setup(allowPrivateReceivers)

    test('{kind}: a down and an up Flip reach the service as it documents them')
      .with(CASES)
      .run(async ({ assert, cleanup }, row) => {
        const { token, channel } = await setUp(row, cleanup)
        scripts.set(token.uuid, { ok: row.ok, first: [] })
        const flip = (status: Flip['status']) => ({ status, uuid: token.uuid, name: token.name })

        await recordPing(token, 'fail')
        await waitForRequests(token, 1)
        row.check(assert, requestsOf(token)[0], flip('down'))

        await recordPing(token)
        await waitForRequests(token, 2)
        row.check(assert, requestsOf(token)[1], flip('up'))

        const delivered = await waitFor(
          'the deliveries to be recorded',
          () => Channel.findOrFail(channel.id),
          (seen) => seen.lastNotifyAt !== null
        )
        assert.isNull(delivered.lastError)
      })
      .timeout(60_000)

    test('{kind}: a 4xx refusal is recorded and not tried again')
      .with(CASES)
      .run(async ({ assert, cleanup }, row) => {
        const { token, channel } = await setUp(row, cleanup)
        scripts.set(token.uuid, { ok: row.refusal, first: [] })
        await recordPing(token, 'fail')
        const refused = await waitFor(
          'the refusal to be recorded',
          () => Channel.findOrFail(channel.id),
          (seen) => seen.lastError !== null
        )
        assert.include(refused.lastError!, `answered ${row.refusal.status} (not retried)`)
        // A retry would have come by now: NOTIFY_RETRY_BASE_MS=20 in tests, and the worker
        // looks for jobs that are due every second.
        await sleep(2500)
        assert.lengthOf(requestsOf(token), 1)
      })
      .timeout(60_000)

    // Without the wait, the retry comes within about a second (the worker's poll).
    const rateLimits: {
      kind: ChannelKind
      how: string
      limit: () => ServiceAnswer
      waitMs: number
    }[] = [
      {
        kind: 'discord',
        how: 'Retry-After in seconds',
        limit: () =>
          jsonAnswer(
            429,
            { message: 'You are being rate limited.', retry_after: 3, global: false },
            { 'retry-after': '3' }
          ),
        waitMs: 3000,
      },
      {
        kind: 'teams',
        how: 'Retry-After as an HTTP date',
        limit: () => ({
          status: 429,
          headers: { 'retry-after': new Date(Date.now() + 4000).toUTCString() },
        }),
        waitMs: 3000,
      },
      {
        kind: 'telegram',
        how: "the body's parameters.retry_after",
        limit: () =>
          jsonAnswer(429, {
            ok: false,
            error_code: 429,
            description: 'Too Many Requests: retry after 3',
            parameters: { retry_after: 3 },
          }),
        waitMs: 3000,
      },
    ]

    test('{kind}: a 429 with {how} is tried again that long after')
      .with(rateLimits)
      .run(async ({ assert, cleanup }, limited) => {
        const row = CASES.find((one) => one.kind === limited.kind)!
        const { token, channel } = await setUp(row, cleanup)
        const answer = limited.limit()
        scripts.set(token.uuid, { ok: row.ok, first: [answer] })
        await recordPing(token, 'fail')
        await waitForRequests(token, 2)
        const [first, second] = requestsOf(token)
        // A date names when to try again, whenever the 429 was answered (to the second);
        // a number of seconds counts from the answer.
        const date = Date.parse(answer.headers?.['retry-after'] ?? '')
        const earliest = Number.isNaN(date) ? first.at + limited.waitMs : date - 1000
        assert.isAtLeast(second.at, earliest - 50)
        const delivered = await waitFor(
          'the delivery to be recorded',
          () => Channel.findOrFail(channel.id),
          (seen) => seen.lastNotifyAt !== null
        )
        assert.match(delivered.lastError!, /answered 429 \(retry after [34] s\)/)
        await sleep(300)
        assert.lengthOf(requestsOf(token), 2)
      })
      .timeout(60_000)

    test('a service that always answers 429 gets six tries in all, then no more', async ({
      assert,
      cleanup,
    }) => {
      const row = CASES.find((one) => one.kind === 'discord')!
      const { token, channel } = await setUp(row, cleanup)
      scripts.set(token.uuid, { ok: jsonAnswer(429, {}, { 'retry-after': '0' }), first: [] })
      await recordPing(token, 'fail')
      await waitForRequests(token, 6)
      await sleep(2500)
      assert.lengthOf(requestsOf(token), 6)
      const limited = await Channel.findOrFail(channel.id)
      assert.include(limited.lastError!, 'answered 429')
      assert.isNull(limited.lastNotifyAt)
    }).timeout(60_000)

    test('a 5xx is retried with backoff until the service takes it', async ({
      assert,
      cleanup,
    }) => {
      const row = CASES.find((one) => one.kind === 'pagerduty')!
      const { token, channel } = await setUp(row, cleanup)
      const unavailable = { status: 503, body: 'upstream unavailable' }
      scripts.set(token.uuid, { ok: row.ok, first: [unavailable, unavailable] })
      await recordPing(token, 'fail')
      await waitForRequests(token, 3)
      const delivered = await waitFor(
        'the delivery to be recorded',
        () => Channel.findOrFail(channel.id),
        (seen) => seen.lastNotifyAt !== null
      )
      assert.include(delivered.lastError!, 'answered 503: upstream unavailable')
      assert.lengthOf(requestsOf(token), 3)
    }).timeout(60_000)
  }
)

test.group('Channel services: config and secrets', (group) => {
  group.each.setup(allowPrivateReceivers)

  test('{kind}: a config the service cannot take is refused, saying why')
    .with(CASES)
    .run(async ({ client, assert, cleanup }, row) => {
      const user = await makeUser()
      cleanup(async () => {
        await User.query().where('id', user.id).delete()
      })
      const writer = await makeApiKey(user)
      const input = { kind: row.kind, name: 'bad', config: row.invalid.config }
      const response = await client.post('/api/v1/channels').bearerToken(writer).json(input)
      response.assertStatus(422)
      const error = response
        .body()
        .errors.find((one: { field: string }) => one.field === row.invalid.field)
      assert.exists(error, JSON.stringify(response.body().errors))
      assert.match(error.message, row.invalid.message)
    })

  test('{kind}: a read-only key sees none of its secrets')
    .with(CASES)
    .run(async ({ client, assert, cleanup }, row) => {
      const user = await makeUser()
      cleanup(async () => {
        await User.query().where('id', user.id).delete()
      })
      const writer = await makeApiKey(user)
      const reader = await makeApiKey(user, 'read-only')
      const config = row.config('https://hooks.example.com')
      const created = await client
        .post('/api/v1/channels')
        .bearerToken(writer)
        .json({ kind: row.kind, name: 'k', config })
      created.assertStatus(201)
      const id = created.body().data.id
      const seen = await client.get(`/api/v1/channels/${id}`).bearerToken(reader)
      const listed = await client.get('/api/v1/channels').bearerToken(reader)
      const owner = await client.get(`/api/v1/channels/${id}`).bearerToken(writer)
      assert.deepEqual(owner.body().data.config, config)
      for (const secret of row.secrets) {
        assert.include(owner.text(), secret)
        assert.notInclude(seen.text(), secret)
        assert.notInclude(listed.text(), secret)
      }
    })
})
