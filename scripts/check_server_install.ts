/*
| Checks what the README's "On a server without Docker" promises: the compiled
| build with its production dependencies alone (no CDK, playwright, compilers
| or test tools) runs every role. Builds into build/, copies it to a temporary
| folder, installs there with `pnpm install --prod` (offline from the pnpm
| store when it can), starts web, ping, worker and scheduler with this
| environment, and passes when web answers /health/ready, the edge /health,
| and worker and scheduler are still running. Prints the sizes it measured.
|
|   node scripts/check_server_install.ts     (PORT, PING_PORT, DB_*, REDIS_* as for the app)
*/

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const node = process.execPath
const port = process.env.PORT || '3333'
const pingPort = process.env.PING_PORT || '3334'

function run(command: string, args: string[], cwd: string, env = process.env) {
  const result = spawnSync(command, args, { cwd, env, stdio: 'inherit' })
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`)
  }
}

function size(path: string) {
  return spawnSync('du', ['-sh', path], { encoding: 'utf8' }).stdout.split('\t')[0]
}

function install(dir: string) {
  cpSync(join(root, 'pnpm-workspace.yaml'), join(dir, 'pnpm-workspace.yaml'))
  const args = ['install', '--prod', '--frozen-lockfile', '--ignore-scripts']
  const offline = spawnSync('pnpm', [...args, '--offline'], { cwd: dir, stdio: 'inherit' })
  if (offline.status !== 0) {
    run('pnpm', args, dir)
  }
  rmSync(join(dir, 'pnpm-workspace.yaml'))
}

const exited = (role: ChildProcess) => role.exitCode !== null || role.signalCode !== null

/** Waits for `url` to answer 2xx; fails at once when a role has exited */
async function answers(url: string, roles: ChildProcess[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (roles.some(exited)) {
      throw new Error(`a role exited before ${url} answered`)
    }
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false
    )
    if (ok) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
}

async function main() {
  run(node, ['ace', 'build'], root)
  const dir = mkdtempSync(join(tmpdir(), 'ngip-server-'))
  const roles: ChildProcess[] = []
  try {
    cpSync(join(root, 'build'), dir, { recursive: true })
    install(dir)
    const host = process.env.HOST || '127.0.0.1'
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      HOST: host,
      PORT: port,
      PING_PORT: pingPort,
    }
    for (const args of [
      ['bin/server.js'],
      ['--max-semi-space-size=1', '--single-threaded', '--max-old-space-size=40', 'ping/main.js'],
      ['ace.js', 'worker:run'],
      ['ace.js', 'scheduler:run'],
    ]) {
      roles.push(spawn(node, args, { cwd: dir, env, stdio: 'inherit' }))
    }
    await answers(`http://127.0.0.1:${port}/health/ready`, roles)
    await answers(`http://127.0.0.1:${pingPort}/health`, roles)
    await new Promise((resolve) => setTimeout(resolve, 3000))
    if (roles.some(exited)) {
      throw new Error('a role exited after starting')
    }
    console.log(
      `\nserver install: OK (build ${size(join(root, 'build'))}, ` +
        `production node_modules ${size(join(dir, 'node_modules'))}; ` +
        `the full install's node_modules ${size(join(root, 'node_modules'))})`
    )
  } finally {
    roles.forEach((role) => role.kill('SIGTERM'))
    await new Promise((resolve) => setTimeout(resolve, 1000))
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(`server install: FAILED: ${error.message}`)
  process.exit(1)
})
