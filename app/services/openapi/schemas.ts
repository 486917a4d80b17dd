/**
 * Component schemas of the OpenAPI document: the JSON shapes of SPEC §6.
 */
const uuid = { type: 'string', format: 'uuid' }
const dateTime = { type: 'string', format: 'date-time' }
const nullable = (schema: Record<string, unknown>) => ({ oneOf: [schema, { type: 'null' }] })
const period = { type: 'integer', minimum: 60, maximum: 31536000 }

const tokenFields = {
  slug: nullable({ type: 'string', pattern: '^[a-z0-9_-]+$', maxLength: 100 }),
  tags: {
    description: 'An array of tags, or one space-separated string',
    oneOf: [
      { type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 20 },
      { type: 'string' },
    ],
  },
  desc: { type: 'string', maxLength: 5000 },
  kind: { type: 'string', enum: ['simple', 'cron'] },
  timeout: { ...period, description: 'Seconds between pings (simple schedule)' },
  grace: { ...period, description: 'Seconds of lateness before the Token goes down' },
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
  channels: { type: 'array', items: uuid, description: 'Ids of your Channels this Token alerts' },
}

const status = { type: 'string', enum: ['new', 'up', 'grace', 'down', 'paused', 'started'] }

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

/** Every `code` an error can carry (app/exceptions/handler.ts) */
const errorCodes = [
  'E_BAD_REQUEST',
  'E_UNAUTHORIZED',
  'E_FORBIDDEN',
  'E_NOT_FOUND',
  'E_METHOD_NOT_ALLOWED',
  'E_CONFLICT',
  'E_PAYLOAD_TOO_LARGE',
  'E_UNSUPPORTED_MEDIA_TYPE',
  'E_VALIDATION_ERROR',
  'E_TOO_MANY_REQUESTS',
  'E_INTERNAL',
]

export const schemas = {
  Token: {
    type: 'object',
    required: [
      'id',
      'name',
      'slug',
      'tags',
      'desc',
      'kind',
      'timeout',
      'grace',
      'schedule',
      'tz',
      'status',
      'manual_resume',
      'n_pings',
      'last_ping_at',
      'last_duration_ms',
      'ping_url',
      'channels',
      'created_at',
    ],
    properties: {
      id: uuid,
      name: { type: 'string' },
      ...tokenFields,
      tags: { type: 'array', items: { type: 'string' } },
      status,
      n_pings: { type: 'integer', description: 'Every Ping ever stored' },
      last_ping_at: nullable(dateTime),
      last_duration_ms: nullable({ type: 'integer' }),
      ping_url: { type: 'string', format: 'uri' },
      created_at: dateTime,
    },
  },
  TokenInput: {
    type: 'object',
    required: ['name'],
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
  TokenChanges: {
    type: 'object',
    properties: { name: { type: 'string', maxLength: 100 }, ...tokenFields },
  },
  Ping: {
    type: 'object',
    required: [
      'id',
      'token',
      'kind',
      'created_at',
      'method',
      'remote_addr',
      'user_agent',
      'exit_status',
      'rid',
      'duration_ms',
      'body',
    ],
    properties: {
      id: { type: 'integer' },
      token: uuid,
      kind: { type: 'string', enum: ['success', 'start', 'fail', 'log', 'ign'] },
      created_at: dateTime,
      method: { type: 'string' },
      remote_addr: { type: 'string' },
      user_agent: { type: 'string' },
      exit_status: nullable({ type: 'integer', minimum: 0, maximum: 255 }),
      rid: nullable(uuid),
      duration_ms: nullable({ type: 'integer' }),
      body: nullable({ type: 'string' }),
    },
  },
  PingInput: {
    type: 'object',
    required: ['token'],
    properties: {
      token: uuid,
      kind: {
        type: 'string',
        enum: ['success', 'start', 'fail', 'log'],
        description: 'Left out: success, or fail for a non-zero exit_status',
      },
      exit_status: {
        ...nullable({ type: 'integer', minimum: 0, maximum: 255 }),
        description: '0 goes with kind success, 1..255 with fail',
      },
      rid: nullable(uuid),
      body: {
        ...nullable({ type: 'string', maxLength: 100000 }),
        description: 'Kept up to PING_BODY_LIMIT bytes (10,000 by default), as the edge keeps it',
      },
    },
  },
  Flip: {
    type: 'object',
    required: ['id', 'created_at', 'old_status', 'new_status', 'reason'],
    properties: {
      id: { type: 'integer' },
      created_at: dateTime,
      old_status: { type: 'string' },
      new_status: { type: 'string' },
      reason: { type: 'string' },
    },
  },
  Channel: {
    type: 'object',
    required: ['id', 'kind', 'name', 'config', 'last_error', 'last_notify_at', 'created_at'],
    properties: {
      id: uuid,
      kind: { type: 'string', enum: ['webhook', 'email', 'slack', 'ntfy'] },
      name: { type: 'string' },
      config: { $ref: '#/components/schemas/ChannelConfig' },
      last_error: nullable({ type: 'string' }),
      last_notify_at: nullable(dateTime),
      created_at: dateTime,
    },
  },
  ChannelConfig: {
    description:
      'webhook: url, method, headers, body (template); email: to; slack: url; ntfy: url, topic, token. ' +
      'Read-only API keys see it without credentials: token and header values hidden, URLs cut to their origin.',
    type: 'object',
    additionalProperties: true,
  },
  ChannelInput: {
    type: 'object',
    required: ['kind', 'name', 'config'],
    properties: {
      kind: { type: 'string', enum: ['webhook', 'email', 'slack', 'ntfy'] },
      name: { type: 'string', maxLength: 100 },
      config: { $ref: '#/components/schemas/ChannelConfig' },
    },
  },
  ChannelChanges: {
    type: 'object',
    description: 'Fields left out stay as they are; a `config` sent replaces the whole config',
    properties: {
      name: { type: 'string', maxLength: 100 },
      config: { $ref: '#/components/schemas/ChannelConfig' },
    },
  },
  PageMeta: {
    type: 'object',
    properties: { limit: { type: 'integer' }, next_cursor: nullable({ type: 'string' }) },
  },
  Errors: {
    type: 'object',
    required: ['errors'],
    properties: {
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string', enum: errorCodes },
            message: { type: 'string' },
            field: { type: 'string' },
          },
        },
      },
    },
  },
}
