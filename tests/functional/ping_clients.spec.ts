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
