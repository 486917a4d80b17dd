import { connect } from 'node:net'
import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type Token from '#models/token'
import Ping from '#models/ping'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'

const RID = '11111111-9d2b-4c7e-8a3f-1b2c3d4e5f60'

/**
 * Sends bytes as they are (no client cleans them up) and returns the raw answer.
 */
function raw(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    socket.setTimeout(5000, () => reject(new Error('the edge hung')))
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')))
    socket.on('error', () => resolve(answer))
    socket.on('close', () => resolve(answer))
    // No half-close: a client waits for its answer with the socket open.
    socket.write(request)
  })
}

const get = (path: string, headers = '') =>
  `GET ${path} HTTP/1.1\r\nHost: edge\r\n${headers}Connection: close\r\n\r\n`

/**
 * [what, request, expected status, stored as a Ping?]
 */
function hostile(token: Token): [string, string | Buffer, number, boolean][] {
  const u = token.uuid
  return [
    ['a NUL byte, percent-encoded', get(`/ping/${u}%00`), 404, false],
    ['a NUL byte, raw', Buffer.from(`GET /ping/${u}\0 HTTP/1.1\r\nHost: e\r\n\r\n`), 400, false],
    ['a traversal', get(`/ping/${u}/%2e%2e/%2e%2e/etc/passwd`), 404, false],
    ['an overlong path', get(`/ping/${'a'.repeat(4000)}`), 404, false],
    ['a path past the header limit', get(`/ping/${'a'.repeat(20_000)}`), 431, false],
    ['percent junk', get(`/ping/%E0%A4%A/${u}?%%%=%zz`), 404, false],
    ['a bad rid', get(`/ping/${u}?rid=${RID.slice(1)}`), 400, false],
    ['header injection in the rid', get(`/ping/${u}?rid=%0d%0aSet-Cookie:%20x=1`), 400, false],
    ['an exit status overflow', get(`/ping/${u}/99999999999999999999`), 400, false],
    [
      'an unknown method',
      `BREW /ping/${u} HTTP/1.1\r\nHost: e\r\nConnection: close\r\n\r\n`,
      400,
      false,
    ],
    [
      'a bad chunked body',
      `POST /ping/${u} HTTP/1.1\r\nHost: e\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      400,
      false,
    ],
    [
      'a NUL in a header',
      Buffer.from(`GET /ping/${u} HTTP/1.1\r\nUser-Agent: a\0b\r\n\r\n`),
      400,
      false,
    ],
    ['a huge user agent', get(`/ping/${u}`, `User-Agent: ${'u'.repeat(8000)}\r\n`), 200, true],
    ['a second rid is ignored', get(`/ping/${u}?rid=${RID}&rid=junk`), 200, true],
    ['an absolute-form target', get(`http://edge/ping/${u}/log`), 200, true],
    [
      'a forged forwarded-for',
      get(`/ping/${u}`, 'X-Forwarded-For: <script>, 1.2.3.4\r\n'),
      200,
      true,
    ],
    [
      'a body of 2 MB',
      `POST /ping/${u} HTTP/1.1\r\nHost: e\r\nContent-Length: 2000000\r\nConnection: close\r\n\r\n${'b'.repeat(2_000_000)}`,
      200,
      true,
    ],
  ]
}

test.group('Ping edge: hostile input', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('nothing answers 5xx and only valid pings are stored', async ({ assert }) => {
    const token = await makeToken(await makeUser())
    const edge = await startEdge(1000)
    try {
      const cases = hostile(token)
      for (const [what, request, status] of cases) {
        const answer = await raw(edge.port, request)
        assert.match(answer, new RegExp(`^HTTP/1\\.1 ${status} `), what)
        assert.notMatch(answer, /set-cookie/i, what)
      }
      await drain(await makeIngest())
      const pings = await Ping.query().where('token_id', token.id).orderBy('id')
      assert.lengthOf(pings, cases.filter(([, , , stored]) => stored).length)
      assert.equal(pings[0].userAgent.length, 200)
      assert.equal(pings[1].rid, RID)
      assert.equal(pings[2].kind, 'log')
      assert.equal(pings[3].remoteAddr, '127.0.0.1')
      assert.equal(pings[4].body!.length, 1000)
    } finally {
      await edge.close()
    }
  })
})
