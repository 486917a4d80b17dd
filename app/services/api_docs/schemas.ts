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
import { pageMetaSchema } from '#services/support/cursor'
import { requestSchema } from '#services/api_docs/request_schema'
import { createPingValidator } from '#validators/ping'
import { pingSchema } from '#transformers/ping_transformer'
import { flipSchema } from '#transformers/flip_transformer'
import { apiErrorsSchema } from '#services/api_docs/api_errors'

/**
 * Component schemas of the OpenAPI document: the JSON shapes of SPEC §6.
 */
export const schemas = {
  ...tokenSchemas,
  Ping: pingSchema,
  PingInput: requestSchema(createPingValidator, {
    example: { token: EXAMPLE_UUID, kind: 'fail', exit_status: 3, body: 'pg_dump: disk full' },
  }),
  Flip: flipSchema,
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
  PageMeta: pageMetaSchema,
  Errors: apiErrorsSchema,
}
