import { test } from '@japa/runner'
import { connect } from 'node:net'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { spawnEdge } from '#tests/helpers/edge'
import { statusOf } from '#tests/helpers/ping'
import { waitFor } from '#tests/helpers/worker_process'

const HEALTH = 'GET /health HTTP/1.1\r\nHost: edge\r\n\r\n'

/**
 * A raw TCP client of the edge: what it received, and when the edge closed it.
 */
function rawClient(port: number) {
  const socket = connect(port, '127.0.0.1')
  const opened = Date.now()
  let received = ''
  socket.on('data', (chunk) => (received += chunk.toString()))
  socket.on('error', () => {})
  const closed = new Promise<number>((resolve) => {
    socket.once('close', () => resolve(Date.now() - opened))
  })
  return {
    socket,
    received: () => received,
    answers: () => received.split('HTTP/1.1 ').length - 1,
    /** Ms from connect to the edge closing it; throws when still open after `ms` */
    closedWithin(ms: number) {
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms)
      })
      return Promise.race([closed, late]).finally(() => clearTimeout(timer))
    },
    /** Waits until `count` answers have arrived */
    async answered(count: number) {
      const deadline = Date.now() + 3000
      while (this.answers() < count) {
        if (Date.now() > deadline || socket.destroyed) {
          throw new Error(`got ${this.answers()} answers of ${count}: ${received}`)
        }
        await sleep(5)
      }
    },
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Writes `chunk` every `ms` until the socket closes */
function trickle(client: ReturnType<typeof rawClient>, chunk: string, ms: number) {
  const timer = setInterval(() => client.socket.write(chunk), ms)
  client.socket.once('close', () => clearInterval(timer))
}

test.group('Ping edge: slow, idle and surplus connections', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  let edge: Awaited<ReturnType<typeof spawnEdge>>
  group.setup(async () => {
    edge = await spawnEdge({
      PING_HEADERS_TIMEOUT_MS: '800',
      PING_REQUEST_TIMEOUT_MS: '1500',
      PING_KEEP_ALIVE_TIMEOUT_MS: '300',
      PING_IDLE_TIMEOUT_MS: '500',
    })
    return () => edge.close()
  })

  test('a socket that sends nothing is closed within the idle limit', async ({ assert }) => {
    const client = rawClient(edge.port)
    await client.closedWithin(4000)
    assert.equal(client.received(), '')
  })

  test('a slow-loris header trickle is cut with 408', async ({ assert }) => {
    const client = rawClient(edge.port)
    client.socket.write('GET /health HTTP/1.1\r\nHost: edge\r\n')
    // a header line every 100 ms keeps the socket busy: only the headers limit ends it
    trickle(client, 'X-Slow: 1\r\n', 100)
    await client.closedWithin(4000)
    assert.match(client.received(), /^HTTP\/1\.1 408 /)
  })

  test('a body trickled slower than the request limit is cut with 408', async ({ assert }) => {
    const token = await makeToken(await makeUser())
    const client = rawClient(edge.port)
    client.socket.write(
      `POST /ping/${token.uuid} HTTP/1.1\r\nHost: edge\r\nContent-Length: 1000\r\n\r\n`
    )
    trickle(client, 'x', 100)
    await client.closedWithin(5000)
    assert.match(client.received(), /^HTTP\/1\.1 408 /)
  })

  test('a keep-alive connection is closed once idle past its limit', async ({ assert }) => {
    const client = rawClient(edge.port)
    client.socket.write(HEALTH)
    await client.answered(1)
    await client.closedWithin(4000)
    assert.match(client.received(), /^HTTP\/1\.1 200 OK/)
  })

  test('a busy keep-alive connection outlives every limit', async ({ assert }) => {
    const client = rawClient(edge.port)
    // 10 requests, 200 ms apart: longer than the request and headers limits in all
    for (let count = 1; count <= 10; count++) {
      client.socket.write(HEALTH)
      await client.answered(count)
      await sleep(200)
    }
    assert.equal(client.answers(), 10)
    assert.isFalse(client.socket.destroyed)
    assert.notInclude(client.received(), '408')
    client.socket.destroy()
  })
})

test.group('Ping edge: the connection cap', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a connection over the cap is closed at once; pings work again once idle ones are cut', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser())
    const edge = await spawnEdge({
      PING_MAX_CONNECTIONS: '3',
      PING_KEEP_ALIVE_TIMEOUT_MS: '1000',
      PING_IDLE_TIMEOUT_MS: '3000',
    })
    try {
      // three keep-alive connections, answered once, then silent
      const held = [rawClient(edge.port), rawClient(edge.port), rawClient(edge.port)]
      for (const client of held) {
        client.socket.write(HEALTH)
        await client.answered(1)
      }
      const surplus = rawClient(edge.port)
      surplus.socket.write(HEALTH)
      await surplus.closedWithin(900)
      assert.equal(surplus.received(), '')
      // and says so in its log
      await waitFor(
        'the cap warning',
        async () => edge.output(),
        (output) => output.includes('3 connections open (PING_MAX_CONNECTIONS), closing new ones'),
        2000
      )
      // the edge cuts the silent ones by itself, and serves pings again
      await Promise.all(held.map((client) => client.closedWithin(5000)))
      assert.equal(await statusOf(edge.url, `/ping/${token.uuid}`), 200)
    } finally {
      await edge.close()
    }
  })
})
