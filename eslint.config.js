import { readdirSync } from 'node:fs'
import { configApp } from '@adonisjs/eslint-config'
import { importX } from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

/**
 * Sibling parts stand on their own: ping/, lib/, pipelines/ and infra/ never import the app
 * (app/, start/, config/, providers/, commands/, bin/, ...) nor each other, except that every
 * part may import lib/ (the small neutral module) and lib/ imports only itself. The forbidden
 * folders are every top-level folder of the repo but the allowed ones, so a new folder is
 * forbidden until it is allowed here.
 */
const topFolders = readdirSync(import.meta.dirname, { withFileTypes: true })
  .filter(
    (entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules'
  )
  .map((entry) => entry.name)

function standsAlone(part, allowed) {
  return {
    target: `./${part}`,
    from: topFolders
      .filter((name) => name !== part && !allowed.includes(name))
      .map((name) => `./${name}`),
    message: `${part}/ stands on its own: it may import ${allowed.length ? allowed.map((a) => `${a}/`).join(', ') : 'nothing outside itself'} (see README "Layout")`,
  }
}

export default configApp(
  {
    ignores: ['build/**', 'tmp/**', 'infra/cdk.out/**', '.adonisjs/**', 'public/vendor/**'],
  },
  {
    files: ['**/*.ts', '**/*.js'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Follows `#alias` subpath imports (package.json "imports") and `.js` specifiers to `.ts` files.
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            standsAlone('ping', ['lib']),
            standsAlone('lib', []),
            standsAlone('pipelines', ['lib']),
            standsAlone('infra', ['lib']),
            // Inside the app, requests stop at the controllers: models and services know no
            // HTTP (no controllers, middleware, policies or HTTP exceptions), models no services.
            {
              target: './app/models',
              from: ['./app/services', './app/controllers', './app/middleware', './app/policies'],
              message: 'models hold data and the pure rules beside it: no services, no HTTP',
            },
            {
              target: './app/services',
              from: ['./app/controllers', './app/middleware', './app/policies', './app/exceptions'],
              message:
                'services know no HTTP: the controllers (with app/policies/visible.ts) answer 404s and check policies',
            },
          ],
        },
      ],
    },
  },
  {
    // Lucid models name each other both ways (belongsTo / hasMany through `() => Model`), which
    // the ORM resolves lazily. Those cycles are the ORM's idiom; every other folder is cycle-free.
    files: ['app/models/**/*.ts'],
    rules: { 'import-x/no-cycle': 'off' },
  },
  {
    // The edge never asks PostgreSQL (tests/functional/ping_edge_alone.spec.ts proves it at run time).
    files: ['ping/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['pg', 'pg-*', 'postgres', 'knex', '@adonisjs/lucid', '@adonisjs/lucid/*'],
              message: 'the ping edge never asks PostgreSQL',
            },
          ],
        },
      ],
    },
  }
)
