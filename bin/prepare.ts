/*
|--------------------------------------------------------------------------
| After install: a working .env and the generated barrel files
|--------------------------------------------------------------------------
|
| Runs as pnpm's postinstall on Node 24 (plain type-stripped TypeScript, no
| app imports). Creates .env from .env.example with a fresh APP_KEY when it
| is missing, then runs `ace codegen`, which every ace command needs.
|
*/

import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))

/**
 * Writes .env from .env.example with a new random APP_KEY; returns true when
 * it wrote one.
 */
export function ensureEnvFile(dir = root): boolean {
  const target = `${dir}/.env`
  if (existsSync(target) || process.env.NODE_ENV === 'production') {
    return false
  }
  const example = readFileSync(`${dir}/.env.example`, 'utf8')
  const key = randomBytes(32).toString('base64url')
  writeFileSync(target, example.replace(/^APP_KEY=.*$/m, `APP_KEY=${key}`), { mode: 0o600 })
  return true
}

export function codegen(dir = root) {
  const result = spawnSync(process.execPath, ['ace', 'codegen'], { cwd: dir, stdio: 'inherit' })
  if (result.status !== 0) {
    throw new Error('ace codegen failed')
  }
}

if (import.meta.main) {
  if (ensureEnvFile()) {
    console.log('ngip: wrote .env with a fresh APP_KEY')
  }
  if (process.env.NGIP_SKIP_CODEGEN !== '1') {
    codegen()
  }
}
