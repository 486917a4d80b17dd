/*
|--------------------------------------------------------------------------
| `pnpm test`: every suite, then one plain summary line
|--------------------------------------------------------------------------
|
| Makes sure what the suites need is there (Chromium for the browser suite,
| a Docker engine for the pipelines suite), gives the run its own database,
| Redis database, ports and Docker run id (bin/test_scope.ts) where the
| environment names none, runs `ace test` with any arguments given, and ends with
| `tests: N passed, N failed`, the line CI reads.
|
*/

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { ensureEnvFile, codegen } from './prepare.ts'
import { ensureDockerEngine } from '../pipelines/lib/dockerd.ts'
import { claimRunScope, type RunScope } from './test_scope.ts'
import type { FailedTest } from '../tests/helpers/summary_reporter.ts'

const root = fileURLToPath(new URL('../', import.meta.url))

/**
 * Debian packages a suite needs, installed when missing and we may (root).
 */
function ensureSystemPackages() {
  const wanted = [{ bin: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', pkg: 'chromium' }]
  const missing = wanted.filter(({ bin }) => !existsSync(bin)).map(({ pkg }) => pkg)
  if (missing.length === 0) {
    return
  }
  if (process.getuid?.() !== 0) {
    console.error(`ngip: missing system packages: ${missing.join(' ')} (apt-get install them)`)
    return
  }
  console.log(`ngip: installing ${missing.join(' ')} with apt-get`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  })
}

/** Suites run when none is named; `rehearsal` (the whole delivery loop) runs only when named. */
const { default: rc } = await import('../adonisrc.ts')
const DEFAULT_SUITES = rc.tests!.suites.map((suite) => suite.name).filter((n) => n !== 'rehearsal')

function suiteArgs(args: string[]) {
  const named = args.some((arg) => !arg.startsWith('-'))
  return named ? args : [...DEFAULT_SUITES, ...args]
}

function readSummary(path: string) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return null
  }
}

/**
 * The failed tests again, last before the summary: a log cut to its tail
 * (a CI page, a terminal's scrollback) still says what failed and why.
 */
function printFailures(failures: FailedTest[]) {
  if (failures.length === 0) {
    return
  }
  console.log(`\nfailed (${failures.length}):`)
  for (const failure of failures.slice(0, 20)) {
    const where = failure.file ? ` (${failure.file})` : ''
    console.log(`  ✖ ${failure.title}${where}\n      ${failure.message}`)
  }
  if (failures.length > 20) {
    console.log(`  … and ${failures.length - 20} more, above`)
  }
}

async function main() {
  ensureEnvFile(root)
  if (!existsSync(`${root}/.adonisjs/server/controllers.ts`)) {
    codegen(root)
  }
  ensureSystemPackages()
  await ensureDockerEngine((line) => console.log(`ngip: ${line}`)).catch((error) =>
    console.error(`ngip: no Docker engine, the pipelines suite will fail: ${error.message}`)
  )

  let scope: RunScope
  try {
    scope = await claimRunScope(root, process.env)
  } catch (error) {
    console.error(`ngip: ${(error as Error).message}`)
    console.log('tests: 0 passed, 1 failed')
    process.exit(1)
  }
  const shown = ['DB_DATABASE', 'REDIS_DB', 'PORT', 'SMTP_PORT', 'NGIP_TEST_RUN']
  console.log(
    `ngip: this run: ${shown.map((name) => `${name}=${scope.env[name] ?? process.env[name]}`).join(' ')}`
  )

  const summaryPath = `${tmpdir()}/ngip-test-summary-${process.pid}.json`
  rmSync(summaryPath, { force: true })
  const child = spawn(process.execPath, ['ace', 'test', ...suiteArgs(process.argv.slice(2))], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...scope.env, NGIP_TEST_SUMMARY: summaryPath },
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal))
  }
  const code: number = await new Promise((resolve) =>
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)))
  )
  await scope.release()

  const summary = readSummary(summaryPath)
  rmSync(summaryPath, { force: true })
  const passed = summary?.passed ?? 0
  // A run that failed outside any test (a hook, the bootstrap) counts as one failure.
  const failed = (summary?.failed ?? 0) || (code !== 0 ? 1 : 0)
  printFailures(summary?.failures ?? [])
  console.log(`tests: ${passed} passed, ${failed} failed`)
  process.exit(code !== 0 ? code : failed > 0 ? 1 : 0)
}

void main()
