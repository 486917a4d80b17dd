import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from '@japa/runner'
import { countStored, PingLoad } from '../../pipelines/rehearse/load.ts'
import { type LoadResult, pingWithRetries } from '../../pipelines/rehearse/ping_load.ts'
import { askWithRetries } from '../../pipelines/rehearse/rehearsal.ts'

const QUICK = [10, 20, 40]

/** A local HTTP server whose n-th request (from 0) `answer` handles; it returns the base URL. */
async function serve(
  answer: (n: number, req: IncomingMessage, res: ServerResponse) => void
): Promise<{ url: string; server: Server; bodies: string[] }> {
  const bodies: string[] = []
  let n = 0
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      bodies.push(body)
      answer(n++, req, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/ping/x`, server, bodies }
}

function result(accepted: number[], unanswered: number[] = []): LoadResult {
  return {
    sent: accepted.length,
    ok: accepted.length,
    failed: 0,
    retried: 0,
    errors: [],
    accepted,
    unanswered,
  }
}

test.group('rehearsal load: what a cron client sees and what was stored', () => {
  test('a ping stored twice is the platform’s fault unless a try of it got no answer', ({
    assert,
  }) => {
    const count = countStored(result([1, 2, 3, 4], [3]), [1, 2, 2, 3, 3, 5])
    assert.deepEqual(count, { stored: 6, lost: 1, twice: 1, twiceAfterNoAnswer: 1 })
  })

  test('verify waits for every accepted ping, not for as many rows as accepted pings', async ({
    assert,
  }) => {
    // Ping 1 stored twice (its first try went unanswered) while ping 2 is
    // still in the stream: as many rows as accepted pings, one of them missing.
    const reads = [
      [1, 1],
      [1, 1, 2],
    ]
    const load = new PingLoad({} as never, 1, {} as never, 'postgres')
    load.stored = async () => reads.shift() ?? [1, 1, 2]
    const count = await load.verify(result([1, 2], [1]), 10_000)
    assert.deepEqual(count, { stored: 3, lost: 0, twice: 0, twiceAfterNoAnswer: 1 })
    assert.lengthOf(reads, 0)
  }).timeout(15_000)

  test('a try whose connection dropped unanswered is retried and marked unanswered', async ({
    assert,
    cleanup,
  }) => {
    const { url, server, bodies } = await serve((n, req, res) => {
      if (n === 0) {
        req.socket.destroy()
      } else {
        res.end('OK')
      }
    })
    cleanup(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const tried = await pingWithRetries(url, 7, undefined, QUICK)
    assert.isDefined(tried.first)
    assert.isUndefined(tried.last)
    assert.isTrue(tried.unanswered)
    assert.deepEqual(bodies, ['load seq=7', 'load seq=7'])
  })

  test('a 503 is an answer: its retry is not marked unanswered', async ({ assert, cleanup }) => {
    const { url, server } = await serve((n, _req, res) => {
      res.statusCode = n === 0 ? 503 : 200
      res.end(n === 0 ? 'try again' : 'OK')
    })
    cleanup(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const tried = await pingWithRetries(url, 8, undefined, QUICK)
    assert.equal(tried.first, '503 try again')
    assert.isUndefined(tried.last)
    assert.isFalse(tried.unanswered)
  })

  test('prod is asked as curl --retry asks: again after a 5xx, never after a 4xx', async ({
    assert,
    cleanup,
  }) => {
    const flaky = await serve((n, _req, res) => {
      res.statusCode = n < 2 ? 503 : 200
      res.end()
    })
    const missing = await serve((_n, _req, res) => {
      res.statusCode = 404
      res.end()
    })
    cleanup(() => new Promise<void>((resolve) => flaky.server.close(() => resolve())))
    cleanup(() => new Promise<void>((resolve) => missing.server.close(() => resolve())))
    assert.deepEqual(await askWithRetries(flaky.url, QUICK), [503, 503, 200])
    assert.deepEqual(await askWithRetries(missing.url, QUICK), [404])
  })

  test('the load stops once: a second stop (the rehearsal ending after a failed phase) returns at once', async ({
    assert,
    cleanup,
  }) => {
    const { url, server } = await serve((_n, _req, res) => res.end('OK'))
    cleanup(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const load = new PingLoad(
      { webUrl: '', apiKey: '', pingUrl: url.replace(/\/ping\/x$/, '') },
      50,
      {} as never,
      'postgres'
    )
    load.tokens = ['x']
    load.start()
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const first = await load.stop()
    const second = await load.stop()
    assert.isAbove(first.sent, 0)
    assert.strictEqual(second, first)
  }).timeout(10_000)
})
