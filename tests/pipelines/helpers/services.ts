import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

async function waitForHttp(url: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        () => true,
        () => false
      )
    ) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${url} did not answer`)
}

export interface LocalRegistry {
  url: string
  host: string
  username: string
  password: string
  stop: () => void
}

/**
 * Debian's docker-registry on 127.0.0.1 with an htpasswd user `AWS`: the
 * registry protocol and auth of ECR, here. Stopped by its pid.
 */
export async function startRegistry(): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'ngip-registry-'))
  const password = randomBytes(12).toString('hex')
  const htpasswd = spawnSync('htpasswd', ['-Bbn', 'AWS', password], { encoding: 'utf8' })
  if (htpasswd.status !== 0) {
    throw new Error(`htpasswd failed: ${htpasswd.stderr}`)
  }
  writeFileSync(join(dir, 'htpasswd'), htpasswd.stdout)
  const port = await freePort()
  const config = `version: 0.1
storage: { filesystem: { rootdirectory: ${dir}/data } }
http: { addr: 127.0.0.1:${port} }
auth: { htpasswd: { realm: ngip-test, path: ${dir}/htpasswd } }
log: { level: error }
`
  writeFileSync(join(dir, 'config.yml'), config)
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: 'ignore',
  })
  const url = `http://127.0.0.1:${port}`
  await waitForHttp(`${url}/v2/`)
  const stop = () => {
    child.kill()
    rmSync(dir, { recursive: true, force: true })
  }
  return { url, host: `127.0.0.1:${port}`, username: 'AWS', password, stop }
}

interface S3rverInstance {
  run(): Promise<{ port: number }>
  close(): Promise<void>
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance

/** s3rver (a real S3 HTTP API) on 127.0.0.1 with the given buckets. */
export async function startS3(buckets: string[]) {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass
  const directory = mkdtempSync(join(tmpdir(), 'ngip-s3-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  })
  const { port } = await server.run()
  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    stop: async () => {
      await server.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}
