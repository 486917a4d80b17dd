import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import User from '#models/user'
import ChannelService from '#services/alerts/channel_service'
import FlipDispatcher from '#services/alerts/flip_dispatcher'
import PingService from '#services/tokens/ping_service'
import TokenService from '#services/tokens/token_service'
import { saveReportSettings } from '#services/accounts/report_settings'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { spawnWorker, waitFor } from '#tests/helpers/worker_process'
import {
  allowPrivateReceivers,
  startHttpReceiver,
  startSmtpReceiver,
} from '#tests/helpers/receivers'

const run = promisify(execFile)
const onRedis = { QUEUE_DRIVER: 'redis', INTEGRATIONS_ALLOW_PRIVATE_IPS: 'true' }

/** One scheduler pass as its ace command runs it, queueing on Redis */
async function pass(command: string) {
  const { stdout } = await run(process.execPath, ['ace', command, '--json'], {
    cwd: app.makePath(),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DB_DATABASE: env.get('DB_DATABASE'),
      REDIS_DB: String(env.get('REDIS_DB', 0)),
      ...onRedis,
    },
  })
  return JSON.parse(stdout.trim().split('\n').at(-1)!)
}

test.group('Alerts: reminders and reports through the Redis queue', (group) => {
  group.each.setup(() => flushRedis())
  group.each.setup(allowPrivateReceivers)

  test('alerts:remind and reports:send queue jobs a real worker delivers', async ({
    assert,
    cleanup,
  }) => {
    const receiver = await startHttpReceiver()
    const smtp = await startSmtpReceiver()
    // Committed for real: the commands and the worker read it.
    const user = await makeUser()
    cleanup(async () => {
      await User.query().where('id', user.id).delete()
      await Promise.all([receiver.close(), smtp.close()])
    })
    const token = await makeToken(user, { name: 'Nightly backup' })
    const hook = await ChannelService.create(user, {
      kind: 'webhook',
      name: 'hook',
      config: { url: receiver.url },
      repeat_interval: 600,
    })
    await TokenService.update(token, { channels: [hook.id] })
    await PingService.record(
      token,
      { token: token.uuid, kind: 'fail' },
      { method: 'API', remoteAddr: '', userAgent: '' }
    )
    await new FlipDispatcher().runOnce()
    assert.lengthOf(receiver.requests, 1)
    await saveReportSettings(user, { period: 'weekly', hour: 6, tz: 'Europe/Berlin' })
    // both due now, as if their time had come
    await db.rawQuery(
      `UPDATE reminders SET due_at = now() - interval '1 second' WHERE token_id = ?`,
      [token.id]
    )
    await db.rawQuery(
      `UPDATE users SET report_next_at = now() - interval '1 second' WHERE id = ?`,
      [user.id]
    )

    assert.deepEqual(await pass('alerts:remind'), { queued: 1 })
    assert.deepEqual(await pass('reports:send'), { queued: 1 })
    assert.deepEqual(await pass('reports:send'), { queued: 0 }, 'once per period')

    const worker = spawnWorker(onRedis)
    cleanup(() => worker.kill())
    await worker.ready
    await waitFor(
      'the reminder and the report to arrive',
      async () => ({ hooks: receiver.requests.length, mails: smtp.mails.length }),
      (seen) => seen.hooks === 2 && seen.mails === 1,
      60_000
    )
    assert.match(
      JSON.parse(receiver.requests[1].body).text,
      /^\[reminder\] Nightly backup is still DOWN/
    )
    assert.deepEqual(smtp.mails[0].to, [user.email])
    assert.include(smtp.mails[0].data, 'ngip weekly report: 1 of 1 Tokens down')
    assert.include(smtp.mails[0].data, 'Nightly backup: DOWN')
  }).timeout(120_000)
})
