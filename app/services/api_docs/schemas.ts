import { tokenSchemas } from '#services/api_docs/token_schemas'
import {
  channelConfig,
  channelConfigAnswer,
  channelKindSchemas,
} from '#services/api_docs/channel_schemas'
import { channelSchema } from '#transformers/channel_transformer'
import { createChannelValidator, updateChannelValidator } from '#validators/channel'
import { CHANNEL_KINDS } from '#services/alerts/channels/index'
import { EXAMPLE_UUID, type Schema } from '#services/api_docs/schema_text'
import { pageMetaSchema } from '#services/support/cursor'
import { requestSchema } from '#services/api_docs/request_schema'
import { createPingValidator } from '#validators/ping'
import { pingSchema } from '#transformers/ping_transformer'
import { flipSchema } from '#transformers/flip_transformer'
import { apiErrorsSchema } from '#services/api_docs/api_errors'
import { reportSchema } from '#transformers/report_transformer'
import { accountReportValidator } from '#validators/user'

/**
 * A Channel's name and kind from its validator; its config, whose rules are
 * its kind's, is one of the kinds' configs (ChannelConfig).
 */
function channelRequest(validator: Parameters<typeof requestSchema>[0], extra: Schema) {
  const schema = requestSchema(validator, extra)
  const config = { $ref: '#/components/schemas/ChannelConfig' }
  return { ...schema, properties: { ...schema.properties, config } }
}

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
  Channel: channelSchema,
  ChannelConfig: channelConfig,
  ChannelConfigAnswer: channelConfigAnswer,
  ...channelKindSchemas,
  ChannelInput: channelRequest(createChannelValidator, {
    example: { kind: CHANNEL_KINDS[0].name, name: 'ops webhook', config: CHANNEL_KINDS[0].example },
  }),
  ChannelChanges: channelRequest(updateChannelValidator, {
    description: 'Fields left out stay as they are; a `config` sent replaces the whole config',
    example: { name: 'on-call webhook' },
  }),
  Report: reportSchema,
  ReportInput: requestSchema(accountReportValidator, {
    example: { period: 'weekly', hour: 8, tz: 'Europe/Berlin' },
  }),
  PageMeta: pageMetaSchema,
  Errors: apiErrorsSchema,
}
