import { answer, dateTime, nullable, uuid } from '#services/api_docs/schema_types'
import { tokenSchemas } from '#services/api_docs/token_schemas'
import {
  channelConfig,
  channelConfigAnswer,
  channelKindEnum,
  channelKindSchemas,
} from '#services/api_docs/channel_schemas'
import { CHANNEL_KINDS } from '#services/alerts/channels/index'
import { EXAMPLE_UUID } from '#services/api_docs/schema_text'

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

/**
 * Component schemas of the OpenAPI document: the JSON shapes of SPEC §6.
 */
export const schemas = {
  ...tokenSchemas,
  Ping: answer({
    id: { type: 'integer' },
    token: uuid,
    kind: { type: 'string', enum: ['success', 'start', 'fail', 'log', 'ign'] },
    created_at: dateTime,
    method: { type: 'string', example: 'POST' },
    remote_addr: { type: 'string', example: '203.0.113.7' },
    user_agent: { type: 'string', example: 'curl/8.5.0' },
    exit_status: nullable({ type: 'integer', minimum: 0, maximum: 255 }),
    rid: nullable(uuid),
    duration_ms: nullable({ type: 'integer', example: 42000 }),
    body: nullable({ type: 'string', example: 'backup done: 42 files' }),
  }),
  PingInput: {
    type: 'object',
    required: ['token'],
    example: { token: EXAMPLE_UUID, kind: 'fail', exit_status: 3, body: 'pg_dump: disk full' },
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
  Flip: answer({
    id: { type: 'integer' },
    created_at: dateTime,
    old_status: { type: 'string', example: 'up' },
    new_status: { type: 'string', example: 'down' },
    reason: { type: 'string', example: 'fail' },
    silenced: {
      ...nullable({ type: 'string', enum: ['maintenance', 'dependency'] }),
      description:
        'Why the Flip notified nobody: inside a maintenance window, or a Token it depends on was down',
    },
  }),
  Channel: answer({
    id: uuid,
    kind: channelKindEnum,
    name: { type: 'string', example: 'ops webhook' },
    config: { $ref: '#/components/schemas/ChannelConfigAnswer' },
    last_error: { ...nullable({ type: 'string' }), example: null },
    last_notify_at: nullable(dateTime),
    created_at: dateTime,
  }),
  ChannelConfig: channelConfig,
  ChannelConfigAnswer: channelConfigAnswer,
  ...channelKindSchemas,
  ChannelInput: {
    type: 'object',
    required: ['kind', 'name', 'config'],
    example: {
      kind: CHANNEL_KINDS[0].name,
      name: 'ops webhook',
      config: CHANNEL_KINDS[0].example,
    },
    properties: {
      kind: channelKindEnum,
      name: { type: 'string', maxLength: 100 },
      config: { $ref: '#/components/schemas/ChannelConfig' },
    },
  },
  ChannelChanges: {
    type: 'object',
    description: 'Fields left out stay as they are; a `config` sent replaces the whole config',
    example: { name: 'on-call webhook' },
    properties: {
      name: { type: 'string', maxLength: 100 },
      config: { $ref: '#/components/schemas/ChannelConfig' },
    },
  },
  PageMeta: {
    type: 'object',
    properties: {
      limit: { type: 'integer', example: 50 },
      next_cursor: { ...nullable({ type: 'string' }), example: null },
    },
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
