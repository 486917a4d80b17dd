import { indexEntities } from '@adonisjs/core'
import { defineConfig } from '@adonisjs/core/app'
import { indexPolicies } from '@adonisjs/bouncer'

export default defineConfig({
  experimental: {},

  /**
   * Ace commands from packages; the app's own are scanned from ./commands.
   */
  commands: [
    () => import('@adonisjs/core/commands'),
    () => import('@adonisjs/lucid/commands'),
    () => import('@adonisjs/session/commands'),
    () => import('@adonisjs/bouncer/commands'),
    () => import('@adonisjs/queue/commands'),
    () => import('adonisjs-scheduler/commands'),
    () => import('@adonisjs/mail/commands'),
  ],

  providers: [
    () => import('@adonisjs/core/providers/app_provider'),
    () => import('@adonisjs/core/providers/hash_provider'),
    {
      file: () => import('@adonisjs/core/providers/repl_provider'),
      environment: ['repl', 'test'],
    },
    () => import('@adonisjs/core/providers/vinejs_provider'),
    () => import('@adonisjs/core/providers/edge_provider'),
    () => import('@adonisjs/session/session_provider'),
    () => import('@adonisjs/shield/shield_provider'),
    () => import('@adonisjs/static/static_provider'),
    () => import('@adonisjs/lucid/database_provider'),
    () => import('@adonisjs/auth/auth_provider'),
    () => import('@adonisjs/bouncer/bouncer_provider'),
    () => import('@adonisjs/redis/redis_provider'),
    () => import('@adonisjs/limiter/limiter_provider'),
    () => import('#providers/queue_provider'),
    () => import('#providers/api_provider'),
    () => import('@adonisjs/mail/mail_provider'),
    {
      file: () => import('adonisjs-scheduler/scheduler_provider'),
      environment: ['console'],
    },
  ],

  preloads: [
    () => import('#start/routes'),
    () => import('#start/kernel'),
    {
      file: () => import('#start/view'),
      environment: ['web', 'test'],
    },
    {
      file: () => import('#start/outages'),
      environment: ['web', 'console'],
    },
    {
      file: () => import('#start/scheduler'),
      environment: ['console'],
    },
  ],

  tests: {
    suites: [
      {
        files: ['tests/unit/**/*.spec.{ts,js}'],
        name: 'unit',
        timeout: 10_000,
      },
      {
        files: ['tests/functional/**/*.spec.{ts,js}'],
        name: 'functional',
        timeout: 30_000,
      },
      {
        files: ['tests/browser/**/*.spec.{ts,js}'],
        name: 'browser',
        timeout: 60_000,
      },
      {
        files: ['tests/pipelines/**/*.spec.{ts,js}'],
        name: 'pipelines',
        timeout: 600_000,
      },
      {
        files: ['tests/infra/**/*.spec.{ts,js}'],
        name: 'infra',
        timeout: 300_000,
      },
      {
        // The whole delivery loop on this machine: run when named (`pnpm test rehearsal`).
        files: ['tests/rehearsal/**/*.spec.{ts,js}'],
        name: 'rehearsal',
        timeout: 2_400_000,
      },
    ],
    forceExit: true,
  },

  metaFiles: [
    {
      pattern: 'resources/views/**/*.edge',
      reloadServer: false,
    },
    {
      pattern: 'public/**',
      reloadServer: false,
    },
  ],

  hooks: {
    init: [indexEntities(), indexPolicies({ glob: ['**/*_policy.ts'] })],
  },
})
