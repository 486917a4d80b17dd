import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative } from 'node:path'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'

/**
 * What the roles run from the build (README "On a server without Docker"):
 * their code must import only `dependencies`, which a production install
 * brings, never a devDependency (CDK, playwright, test or build tools).
 */
const RUNTIME = [
  'app',
  'commands',
  'config',
  'database',
  'lib',
  'ping',
  'providers',
  'start',
  'bin/server.ts',
  'bin/console.ts',
  'adonisrc.ts',
]
// ace.js is left out: it loads the TypeScript hook, and the build replaces it.

function sources(path: string): string[] {
  if (/\.(ts|js)$/.test(path)) {
    return [path]
  }
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    sources(join(path, entry.name))
  )
}

/** Packages a file loads at run time: type-only imports leave no trace in the build */
function packagesOf(file: string) {
  const code = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(import|export) type\b/.test(line))
    .join('\n')
  const specifiers = [...code.matchAll(/(?:from|import\(|^import)\s*'([^']+)'/gm)].map(
    (match) => match[1]
  )
  return specifiers
    .filter((name) => !name.startsWith('.') && !name.startsWith('#'))
    .filter((name) => !name.startsWith('node:') && !builtinModules.includes(name))
    .map((name) =>
      name
        .split('/')
        .slice(0, name.startsWith('@') ? 2 : 1)
        .join('/')
    )
}

test.group('Runtime dependencies', () => {
  test('the roles import only production dependencies', ({ assert }) => {
    const manifest = JSON.parse(readFileSync(app.makePath('package.json'), 'utf8'))
    const production = new Set(Object.keys(manifest.dependencies))
    const missing = RUNTIME.flatMap((path) => sources(app.makePath(path))).flatMap((file) =>
      packagesOf(file)
        .filter((name) => !production.has(name))
        .map((name) => `${relative(app.makePath(), file)}: ${name}`)
    )
    assert.deepEqual(missing, [])
  })
})
