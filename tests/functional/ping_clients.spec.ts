import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Ping from '#models/ping'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'

const shell = promisify(execFile)

/**
 * Cron lines as healthchecks.io's docs and runitor write them, run by bash
 * and curl unchanged, with only the base URL swapped.
 */
const CRON_LINES = [
  'curl -fsS -m 10 --retry 5 -o /dev/null "$URL"',
  'curl -fsS -m 10 --retry 5 -o /dev/null "$URL/start"',
  'm=$(echo "backup done: 42 files"); curl -fsS -m 10 --retry 5 --data-raw "$m" "$URL"',
  'false; curl -fsS -m 10 --retry 5 -o /dev/null "$URL/$?"',
  'echo "a log line" | curl -fsS -m 10 --retry 5 --data-binary @- "$URL/log"',
  [
    'RID=$(cat /proc/sys/kernel/random/uuid)',
    'curl -fsS -m 10 --retry 5 -o /dev/null "$URL/start?rid=$RID"',
    'sleep 0.05',
    'curl -fsS -m 10 --retry 5 --data-raw "job output" "$URL/0?rid=$RID"',
  ].join('; '),
  'curl -fsS -m 10 --retry 5 -o /dev/null "$ROOT/$UUID/fail"',
  'curl -fsS -m 10 --retry 5 -o /dev/null "$ROOT/ping/$KEY/nightly/start"',
]

test.group('Ping edge: healthchecks.io clients work unchanged', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('curl one-liners and runitor-style runs are stored as healthchecks stores them', async ({
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { slug: 'nightly' })
    const edge = await startEdge()
    try {
      const env = {
        ...process.env,
        ROOT: edge.url,
        URL: `${edge.url}/ping/${token.uuid}`,
        UUID: token.uuid,
        KEY: user.pingKey,
      }
      for (const line of CRON_LINES) {
        await shell('bash', ['-c', line], { env, timeout: 20_000 })
      }
      await drain(await makeIngest())
      const pings = await Ping.query().where('token_id', token.id).orderBy('id')
      assert.deepEqual(
        pings.map((ping) => [ping.kind, ping.exitStatus, ping.body?.toString() ?? null]),
        [
          ['success', null, null],
          ['start', null, null],
          ['success', null, 'backup done: 42 files'],
          ['fail', 1, null],
          ['log', null, 'a log line\n'],
          ['start', null, null],
          ['success', 0, 'job output'],
          ['fail', null, null],
          ['start', null, null],
        ]
      )
      assert.isNotNull(pings[6].rid)
      assert.equal(pings[6].rid, pings[5].rid)
      assert.isAtLeast(pings[6].durationMs!, 40)
      assert.match(pings[0].userAgent, /^curl\//)
    } finally {
      await edge.close()
    }
  })
})

/**
 * Uptime Kuma's push monitor as its push URL is used: curl with `--fail`, so a
 * refused push exits non-zero, and the answer read as Kuma's JSON.
 */
test.group('Ping edge: Uptime Kuma push clients work unchanged', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a push answers {"ok":true} and stores its `ping` as the run duration', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    try {
      const push = (query: string) =>
        shell('curl', ['-fsS', '-m', '10', `${edge.url}/api/push/${token.uuid}?${query}`])
      const answers = [
        await push('status=up&msg=OK&ping=1234.6'),
        await push('status=down&msg=disk%20full&ping=87'),
        await push('status=up&msg=OK&ping='),
        await push('status=up&msg=OK&ping=-5'),
        await push('status=up&msg=OK&ping=soon'),
      ]
      assert.deepEqual(
        answers.map(({ stdout }) => JSON.parse(stdout)),
        answers.map(() => ({ ok: true }))
      )
      await drain(await makeIngest())
      const pings = await Ping.query().where('token_id', token.id).orderBy('id')
      assert.deepEqual(
        pings.map((ping) => [ping.kind, ping.durationMs, ping.body?.toString() ?? null]),
        [
          ['success', 1235, 'OK'],
          ['fail', 87, 'disk full'],
          ['success', null, 'OK'],
          ['success', null, 'OK'],
          ['success', null, 'OK'],
        ]
      )
      await token.refresh()
      assert.isNull(token.lastDurationMs)
    } finally {
      await edge.close()
    }
  })

  test("an unknown push token gets Kuma's 404 and its JSON message", async ({ assert }) => {
    const edge = await startEdge()
    try {
      const { stdout } = await shell('curl', [
        '-sS',
        '-m',
        '10',
        '-w',
        '\\n%{http_code} %{content_type}',
        `${edge.url}/api/push/2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11?status=up&msg=OK&ping=`,
      ])
      const [body, status] = stdout.split('\n')
      assert.deepEqual(JSON.parse(body), { ok: false, msg: 'Monitor not found or not active.' })
      assert.equal(status, '404 application/json; charset=utf-8')
    } finally {
      await edge.close()
    }
  })
})
