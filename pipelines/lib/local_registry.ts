import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
}

export interface LocalRegistry {
  url: string
  /** host:port, as image references name it. */
  host: string
  username: string
  password: string
  stop: () => void
}

/**
 * Debian's docker-registry on 127.0.0.1 with an htpasswd user `AWS`: a real
 * registry with ECR's protocol and auth, on this machine (pipeline tests and
 * the rehearsal push to it). Stopped by its pid.
 */
export async function startRegistry(): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'ngip-registry-'))
  const password = randomBytes(12).toString('hex')
  const htpasswd = spawnSync('htpasswd', ['-Bbn', 'AWS', password], { encoding: 'utf8' })
  if (htpasswd.status !== 0) {
    throw new Error(`htpasswd failed: ${htpasswd.stderr || htpasswd.error?.message}`)
  }
  writeFileSync(join(dir, 'htpasswd'), htpasswd.stdout)
  const port = await freePort()
  const config = `version: 0.1
storage: { filesystem: { rootdirectory: ${dir}/data } }
http: { addr: 127.0.0.1:${port} }
auth: { htpasswd: { realm: ngip, path: ${dir}/htpasswd } }
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
