/*
|--------------------------------------------------------------------------
| `pnpm start`: the whole platform in one terminal
|--------------------------------------------------------------------------
|
| Prepares .env, the compiled build (bin/build_cache.ts: reused while the
| sources are unchanged) and the database (created, migrated, seeded once),
| starts the roles as children (bin/roles.ts: four processes, five with
| email pings, or two with --small / NGIP_MODE=small), restarts a child that dies (after 1 s, 2 s,
| 4 s … up to 60 s), prints the ready block once web and ping answer, and
| stops everything on Ctrl-C. A port already taken, or a role stopped by a
| setting that cannot work (exit 78), stops it with one line and no ready block.
|
*/

import { spawnSync, type ChildProcess } from 'node:child_process'
import { connect, createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { ensureEnvFile } from './prepare.ts'
import { ensureBuild } from './build_cache.ts'
import {
  emailPingsOn,
  MODE_LINES,
  modeFrom,
  roleCommands,
  setupCommand,
  spawnRole,
  type Mode,
  type RoleCommand,
} from './roles.ts'
import { type QuickstartCredentials, quickstartLines } from '../lib/quickstart_text.ts'
import { EXIT_SETTING, portTakenLine } from '../lib/faults.ts'
import { RestartBackoff } from '../lib/restart_backoff.ts'

const root = fileURLToPath(new URL('../', import.meta.url))
const node = process.execPath

interface Role extends RoleCommand {
  backoff: RestartBackoff
}

const children = new Map<string, ChildProcess>()
let stopping = false
/** Credentials with a password not printed yet (it exists nowhere else). */
let unshown: QuickstartCredentials | undefined

function prefixed(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) {
  let rest = ''
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) {
      out.write(`${name.padEnd(9)} | ${line}\n`)
    }
  })
}

function launch(role: Role, mode: Mode) {
  const startedAt = Date.now()
  const child = spawnRole(role, { ...process.env, NGIP_MODE: mode })
  children.set(role.name, child)
  prefixed(role.name, child.stdout!, process.stdout)
  prefixed(role.name, child.stderr!, process.stderr)
  child.on('exit', (code, signal) => {
    children.delete(role.name)
    if (stopping) {
      return
    }
    if (code === EXIT_SETTING) {
      console.error(`ngip: ${role.name} cannot run with these settings (see above); stopping`)
      stop(1)
      return
    }
    const delay = role.backoff.next(Date.now() - startedAt)
    console.error(
      `${role.name.padEnd(9)} | exited (${signal ?? code}); restarting in ${delay / 1000} s`
    )
    setTimeout(() => !stopping && launch(role, mode), delay)
  })
}

function setup(buildDir: string): QuickstartCredentials {
  const command = setupCommand(buildDir)
  const result = spawnSync(node, command.args, {
    cwd: command.cwd,
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  })
  const last = result.stdout.trim().split('\n').pop() ?? ''
  if (result.status !== 0 || !last.startsWith('{')) {
    process.stderr.write(result.stdout)
    throw new Error('database setup failed (is PostgreSQL running on DB_HOST:DB_PORT?)')
  }
  return JSON.parse(last)
}

function portSetting(name: string, fallback: number) {
  const raw = process.env[name] || String(fallback)
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`bad setting: ${name} must be a port number, got "${raw}"; fix it in .env`)
  }
  return port
}

/**
 * Fails with the one line to print when `port` is in use on `host`.
 */
async function ensurePortFree(host: string, port: number, setting: string) {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(portTakenLine(port, setting)) : error)
    )
    probe.listen(port, host, () => probe.close(() => resolve()))
  })
}

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && !stopping) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false
    )
    if (ok) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  if (stopping) {
    throw new Error('stopped before every role was up')
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
}

/** Waits for an SMTP listener's 220 greeting. */
async function waitForSmtp(host: string, port: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && !stopping) {
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host)
      socket.setTimeout(1000, () => socket.destroy())
      socket.once('data', (chunk) => {
        socket.end('QUIT\r\n')
        resolve(chunk.toString().startsWith('220'))
      })
      socket.once('error', () => resolve(false))
      socket.once('close', () => resolve(false))
    })
    if (greeted) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(
    `the SMTP listener on ${host}:${port} did not answer within ${timeoutMs / 1000} s`
  )
}

function stop(code = 0) {
  stopping = true
  for (const child of children.values()) {
    child.kill('SIGTERM')
  }
  const force = setTimeout(() => {
    for (const child of children.values()) {
      child.kill('SIGKILL')
    }
    process.exit(code)
  }, 10_000)
  force.unref()
  const poll = setInterval(() => {
    if (children.size === 0) {
      clearInterval(poll)
      process.exit(code)
    }
  }, 100)
}

async function main() {
  if (ensureEnvFile(root)) {
    console.log('ngip: wrote .env with a fresh APP_KEY')
  }
  process.loadEnvFile(`${root}/.env`)
  const mode = modeFrom(process.argv.slice(2), process.env)
  // A second `pnpm start` stops here, before it seeds or prints anything.
  const webPort = portSetting('PORT', 3333)
  const pingPort = portSetting('PING_PORT', 3334)
  await ensurePortFree(process.env.HOST || '0.0.0.0', webPort, 'PORT')
  await ensurePortFree(
    process.env.PING_HOST || process.env.HOST || '127.0.0.1',
    pingPort,
    'PING_PORT'
  )
  const email = emailPingsOn(process.env)
  const smtpHost = process.env.SMTPD_HOST || process.env.HOST || '127.0.0.1'
  const smtpPort = email ? portSetting('SMTPD_PORT', 2525) : 0
  if (email) {
    await ensurePortFree(smtpHost, smtpPort, 'SMTPD_PORT')
  }
  process.on('SIGINT', () => stop(0))
  process.on('SIGTERM', () => stop(0))
  console.log(MODE_LINES[mode])
  const buildDir = await ensureBuild(root)
  console.log('ngip: preparing the database')
  const credentials = setup(buildDir)
  // A password is shown once and never stored: show it even if a role does not come up.
  unshown = credentials.password ? credentials : undefined

  const roles: Role[] = roleCommands(mode, buildDir, process.env).map((role) => ({
    ...role,
    backoff: new RestartBackoff(),
  }))
  roles.forEach((role) => launch(role, mode))

  const webUrl = (process.env.APP_URL || `http://127.0.0.1:${webPort}`).replace(/\/+$/, '')
  await waitFor(`${webUrl}/health/live`, 60_000)
  await waitFor(`http://127.0.0.1:${pingPort}/health`, 60_000)
  const emailLines: string[] = []
  if (email) {
    await waitForSmtp(smtpHost === '0.0.0.0' ? '127.0.0.1' : smtpHost, smtpPort, 60_000)
    emailLines.push(
      `Email pings: <uuid>@${process.env.PING_EMAIL_DOMAIN} (SMTP on ${smtpHost}:${smtpPort})`
    )
  }
  unshown = undefined
  console.log(
    ['', `Admin UI: ${webUrl}`, ...emailLines, ...quickstartLines(credentials), ''].join('\n')
  )
}

main().catch((error) => {
  if (unshown) {
    console.log(['', ...quickstartLines(unshown), ''].join('\n'))
  }
  if (!stopping) {
    console.error(`ngip: ${error.message}`)
  }
  stop(1)
})
