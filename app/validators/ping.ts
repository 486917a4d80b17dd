import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { TIME_RANGE, time, uuid } from '#validators/rules'
import { cursor, limit } from '#validators/page'

const within = `, from ${TIME_RANGE.min} to ${TIME_RANGE.max}`

export const listPingsValidator = vine.create({
  token: uuid().optional().meta({ description: "Only this Token's Pings" }),
  kind: vine.enum(['success', 'start', 'fail', 'log', 'ign'] as const).optional(),
  since: time()
    .optional()
    .meta({ description: `Pings at or after this time${within}` }),
  until: time()
    .optional()
    .meta({ description: `Pings before this time${within}` }),
  limit: limit(),
  cursor: cursor(),
})

/**
 * A Ping recorded by hand goes through the same rules as one from the edge.
 */
export const createPingValidator = vine.create({
  token: uuid(),
  kind: vine
    .enum(['success', 'start', 'fail', 'log'] as const)
    .optional()
    .meta({ description: 'Left out: success, or fail for a non-zero exit_status' }),
  exit_status: vine
    .number()
    .withoutDecimals()
    .range([0, 255])
    .nullable()
    .optional()
    .meta({ description: '0 goes with kind success, 1..255 with fail' }),
  rid: uuid().nullable().optional(),
  body: vine.string().maxLength(100_000).nullable().optional().meta({
    description: 'Kept up to PING_BODY_LIMIT bytes (10,000 by default), as the edge keeps it',
  }),
})

const pingMessages = new SimpleMessagesProvider({
  'token.uuid': 'token is a Token id (a UUID)',
  'rid.uuid': 'rid is a UUID',
  'kind.enum': 'kind is one of {{ choices }}',
})
listPingsValidator.messagesProvider = pingMessages
createPingValidator.messagesProvider = pingMessages
