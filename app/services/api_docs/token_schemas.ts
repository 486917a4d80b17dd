import { answer, dateTime, nullable, uuid } from '#services/api_docs/schema_types'
import { EXAMPLE_UUID } from '#services/api_docs/schema_text'

const period = { type: 'integer', minimum: 60, maximum: 31536000 }
const runSeconds = { type: 'integer', minimum: 1, maximum: 31536000 }

const tokenFields = {
  slug: nullable({
    type: 'string',
    pattern: '^[a-z0-9_-]+$',
    maxLength: 100,
    example: 'db-backup',
  }),
  tags: {
    description: 'An array of tags, or one space-separated string',
    example: ['prod'],
    oneOf: [
      { type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 20 },
      { type: 'string' },
    ],
  },
  desc: { type: 'string', maxLength: 5000, example: 'Nightly pg_dump of the main database' },
  kind: { type: 'string', enum: ['simple', 'cron'] },
  timeout: { ...period, description: 'Seconds between pings (simple schedule)', example: 86400 },
  grace: {
    ...period,
    description: 'Seconds of lateness before the Token goes down',
    example: 3600,
  },
  schedule: {
    type: 'string',
    description: 'Five-field cron expression (cron schedule)',
    example: '0 3 * * *',
  },
  tz: {
    type: 'string',
    description: 'IANA time zone of the cron schedule',
    example: 'Europe/Berlin',
  },
  manual_resume: {
    type: 'boolean',
    description: 'Pings to a paused Token are ignored until resumed by hand',
  },
  max_runtime: nullable({
    ...runSeconds,
    description:
      'Seconds a started run may take before the Token goes down (reason `max runtime`); null: the grace time applies',
    example: 1800,
  }),
  min_interval: nullable({
    ...runSeconds,
    description:
      'A success sooner than this many seconds after the previous success sets the Token to `warning` (reason `too soon`)',
    example: 3000,
  }),
  min_duration: nullable({
    ...runSeconds,
    description:
      'A run shorter than this many seconds sets the Token to `warning` (reason `too short`)',
    example: 60,
  }),
  fail_threshold: {
    type: 'integer',
    minimum: 1,
    maximum: 100,
    description: 'Failures in a row that take the Token down',
    example: 3,
  },
  channels: { type: 'array', items: uuid, description: 'Ids of your Channels this Token alerts' },
  maintenance_schedule: nullable({
    type: 'string',
    description:
      'Five-field cron expression opening a scheduled maintenance window (OnCalendar is not supported); null for none',
    example: '0 2 * * 0',
  }),
  maintenance_minutes: {
    type: 'integer',
    minimum: 0,
    maximum: 10080,
    description: 'Length of each scheduled maintenance window, in minutes',
    example: 60,
  },
  maintenance_tz: {
    type: 'string',
    description: 'IANA time zone of the maintenance schedule',
    example: 'Europe/Berlin',
  },
  depends_on: {
    type: 'array',
    items: uuid,
    description:
      "Ids of your Tokens this one depends on: while one is down, this Token's downs notify nobody. A cycle is refused (422)",
  },
}

const status = {
  type: 'string',
  enum: ['new', 'up', 'warning', 'grace', 'down', 'paused', 'started'],
}

/** What a new Token gets for a field left out (TokenService.create) */
const tokenDefaults: Record<string, { default: unknown; description?: string }> = {
  tags: { default: [] },
  desc: { default: '' },
  kind: {
    default: 'simple',
    description: '`cron` when only `schedule` is given, as healthchecks does',
  },
  timeout: { default: 86400 },
  grace: { default: 3600 },
  schedule: { default: '* * * * *' },
  tz: { default: 'UTC' },
  manual_resume: { default: false },
  maintenance_schedule: { default: null },
  maintenance_minutes: { default: 0 },
  maintenance_tz: { default: 'UTC' },
  depends_on: { default: [] },
  max_runtime: { default: null },
  min_interval: { default: null },
  min_duration: { default: null },
  fail_threshold: { default: 1 },
}

const withDefaults = (fields: Record<string, Record<string, unknown>>) =>
  Object.fromEntries(
    Object.entries(fields).map(([name, schema]) => {
      const defaults = tokenDefaults[name]
      if (!defaults) {
        return [name, schema]
      }
      const description = [schema.description, defaults.description].filter(Boolean).join('; ')
      return [
        name,
        { ...schema, default: defaults.default, ...(description ? { description } : {}) },
      ]
    })
  )

/**
 * Component schemas of Tokens: what the API answers, what it takes.
 */
export const tokenSchemas = {
  Token: answer({
    id: uuid,
    name: { type: 'string', example: 'db-backup' },
    ...tokenFields,
    tags: { type: 'array', items: { type: 'string' }, example: ['prod'] },
    status: { ...status, example: 'up' },
    n_pings: { type: 'integer', description: 'Every Ping ever stored', example: 42 },
    consecutive_fails: {
      type: 'integer',
      description: 'Failures in a row since the last success (down at `fail_threshold`)',
      example: 0,
    },
    last_ping_at: nullable(dateTime),
    last_duration_ms: nullable({ type: 'integer', example: 42000 }),
    snoozed_until: {
      ...nullable(dateTime),
      description: 'End of the ad hoc maintenance window (snooze), while one is open',
    },
    in_maintenance_until: {
      ...nullable(dateTime),
      description: 'End of the maintenance window (snooze or scheduled) the Token is in now',
    },
    ping_url: {
      type: 'string',
      format: 'uri',
      example: `https://ping.example.com/ping/${EXAMPLE_UUID}`,
    },
    created_at: dateTime,
  }),
  TokenInput: {
    type: 'object',
    required: ['name'],
    example: { name: 'db-backup', slug: 'db-backup', timeout: 86400, grace: 3600, tags: ['prod'] },
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      ...withDefaults(tokenFields),
      unique: {
        type: 'array',
        items: { type: 'string', enum: ['name', 'slug'] },
        description:
          'Return your existing Token with the same name or slug (200), unchanged, instead of a new one',
      },
    },
  },
  Snooze: {
    type: 'object',
    required: ['minutes'],
    example: { minutes: 60 },
    properties: {
      minutes: {
        type: 'integer',
        minimum: 0,
        maximum: 10080,
        description: 'Length of the window from now; 0 ends the current one',
      },
    },
  },
  TokenChanges: {
    type: 'object',
    example: { grace: 7200 },
    properties: { name: { type: 'string', maxLength: 100 }, ...tokenFields },
  },
}
