import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from '@japa/runner'
import Channel from '#models/channel'
import User from '#models/user'
import ChannelService from '#services/alerts/channel_service'
import PingService from '#services/tokens/ping_service'
import TokenService from '#services/tokens/token_service'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { spawnWorker, waitFor } from '#tests/helpers/worker_process'
import { allowPrivateReceivers } from '#tests/helpers/receivers'

/**
 * A webhook receiver that holds its first request unanswered (the delivery
 * a worker is in the middle of) and answers every later one 200.
 */
async function startHoldingReceiver() {
  const held: ServerResponse[] = []
  let delivered = 0
  let received = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      received++
      if (received === 1) {
        held.push(res)
        return
      }
      delivered++
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    counts: () => ({ received, delivered }),
    close: async () => {
      held.forEach((res) => res.destroy())
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

test.group('Alerts: the notification queue on Redis, with a real worker', (group) => {
  group.each.setup(() => flushRedis())
  group.each.setup(allowPrivateReceivers)

  test('a notification whose worker is killed mid-delivery arrives once after a restart', async ({
    assert,
    cleanup,
  }) => {
    const receiver = await startHoldingReceiver()
    cleanup(() => receiver.close())
    // Committed for real: the worker processes read it.
    const user = await makeUser()
    cleanup(async () => {
      await User.query().where('id', user.id).delete()
    })
    const token = await makeToken(user, { name: 'Nightly backup' })
    const hook = await ChannelService.create(user, {
      kind: 'webhook',
      name: 'hook',
      config: { url: receiver.url },
    })
    await TokenService.update(token, { channels: [hook.id] })
    await PingService.record(
      token,
      { token: token.uuid, kind: 'fail' },
      { method: 'API', remoteAddr: '', userAgent: '' }
    )

    const onRedis = { QUEUE_DRIVER: 'redis', INTEGRATIONS_ALLOW_PRIVATE_IPS: 'true' }
    const first = spawnWorker(onRedis)
    cleanup(() => first.kill())
    await first.ready
    await waitFor(
      'the first delivery to start',
      async () => receiver.counts(),
      (c) => c.received === 1
    )
    await first.kill()

    const second = spawnWorker(onRedis)
    cleanup(() => second.kill())
    await second.ready
    // The killed worker's job is taken back once it counts as stalled (30 s without a heartbeat).
    await waitFor(
      'the job to be delivered by the restarted worker',
      async () => receiver.counts(),
      (c) => c.delivered === 1,
      120_000
    )
    // The worker records the delivery just after the receiver has answered it.
    const channel = await waitFor(
      'the delivery to be recorded on the Channel',
      () => Channel.findOrFail(hook.id),
      (c) => c.lastNotifyAt !== null
    )
    assert.isNotNull(channel.lastNotifyAt)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.deepEqual(receiver.counts(), { received: 2, delivered: 1 })
  }).timeout(200_000)
})
