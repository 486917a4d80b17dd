import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { ANY_CASE_UUID_RE } from '#lib/uuid'
import { time } from '#validators/rules'

export const listPingsValidator = vine.create({
  token: vine.string().trim().regex(ANY_CASE_UUID_RE).optional(),
  kind: vine.enum(['success', 'start', 'fail', 'log', 'ign'] as const).optional(),
  since: time().optional(),
  until: time().optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
  cursor: vine.string().maxLength(100).optional(),
})

/**
 * A Ping recorded by hand goes through the same rules as one from the edge.
 */
export const createPingValidator = vine.create({
  token: vine.string().trim().regex(ANY_CASE_UUID_RE),
  kind: vine.enum(['success', 'start', 'fail', 'log'] as const).optional(),
  exit_status: vine.number().withoutDecimals().range([0, 255]).nullable().optional(),
  rid: vine.string().trim().regex(ANY_CASE_UUID_RE).nullable().optional(),
  body: vine.string().maxLength(100_000).nullable().optional(),
})

const pingMessages = new SimpleMessagesProvider({
  'token.regex': 'token is a Token id (a UUID)',
  'rid.regex': 'rid is a UUID',
  'kind.enum': 'kind is one of {{ choices }}',
})
listPingsValidator.messagesProvider = pingMessages
createPingValidator.messagesProvider = pingMessages
