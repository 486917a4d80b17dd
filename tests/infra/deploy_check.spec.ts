import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TEST_TRAFFIC_HEADER } from '../../infra/lib/constructs/deploy_check.js'
import {
  type GreenProbe,
  greenHookStatus,
  probeFromEnv,
} from '../../infra/lib/constructs/deploy_check_handler.js'

const APP_HOST = 'stage.ngip.example.com'

/** A self-signed certificate for `name`, made by openssl in a temporary directory. */
function certificate(name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ngip-green-check-'))
  try {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
        ...['-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`],
      ],
      { stdio: 'ignore' }
    )
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * A stand-in for the load balancer in front of green: answers /health/ready
 * with `status` only to requests that carry the test-traffic header (blue
 * would get the others), and counts what it saw.
 */
async function fakeGreen(tls: { key: string; cert: string }, status: () => number) {
  const seen: { host?: string; testTraffic: boolean }[] = []
  const server = createServer(tls, (req, res) => {
    const testTraffic = req.headers[TEST_TRAFFIC_HEADER.name] === TEST_TRAFFIC_HEADER.value
    seen.push({ host: req.headers.host, testTraffic })
    const code = req.url === '/health/ready' && testTraffic ? status() : 404
    res.writeHead(code, { 'content-type': 'application/json' }).end('{"status":"…"}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, seen, port: (server.address() as AddressInfo).port }
}

function probe(port: number, ca: string): GreenProbe {
  return {
    ...probeFromEnv({
      GREEN_CHECK_HOST: '127.0.0.1',
      GREEN_CHECK_SERVER_NAME: APP_HOST,
      GREEN_CHECK_HEADER: `${TEST_TRAFFIC_HEADER.name}: ${TEST_TRAFFIC_HEADER.value}`,
    }),
    port,
    ca,
    timeoutMs: 2000,
  }
}

test.group('infra green check hook (real HTTPS on loopback)', (group) => {
  const tls = certificate(APP_HOST)
  const servers: Server[] = []
  group.each.timeout(20_000)
  group.teardown(() => servers.forEach((server) => server.close()))

  test('succeeds once green answers its readiness check through the test rule', async ({
    assert,
  }) => {
    const answers = [503, 503, 200]
    const green = await fakeGreen(tls, () => answers.shift() ?? 200)
    servers.push(green.server)
    const result = await greenHookStatus(probe(green.port, tls.cert), 5000, 100)
    assert.deepEqual(result, { hookStatus: 'SUCCEEDED' })
    assert.lengthOf(green.seen, 3)
    assert.isTrue(green.seen.every((request) => request.testTraffic && request.host === APP_HOST))
  })

  test('fails, so ECS rolls back, when green stays unready for the whole budget', async ({
    assert,
  }) => {
    const green = await fakeGreen(tls, () => 503)
    servers.push(green.server)
    const result = await greenHookStatus(probe(green.port, tls.cert), 600, 100)
    assert.deepEqual(result, { hookStatus: 'FAILED' })
    assert.isAbove(green.seen.length, 1)
  })

  test('fails when the certificate is not for the app host', async ({ assert }) => {
    const other = certificate('elsewhere.example.com')
    const green = await fakeGreen(other, () => 200)
    servers.push(green.server)
    const result = await greenHookStatus(probe(green.port, other.cert), 300, 100)
    assert.deepEqual(result, { hookStatus: 'FAILED' })
    assert.lengthOf(green.seen, 0)
  })

  test('refuses to run without its settings', ({ assert }) => {
    assert.throws(() => probeFromEnv({ GREEN_CHECK_HOST: 'alb' }), /GREEN_CHECK_SERVER_NAME/)
  })
})
