import vine from '@vinejs/vine'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const listPingsValidator = vine.create({
  token: vine.string().trim().regex(UUID).optional(),
  kind: vine.enum(['success', 'start', 'fail', 'log', 'ign'] as const).optional(),
  since: vine.date({ formats: { utc: true } }).optional(),
  until: vine.date({ formats: { utc: true } }).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
  cursor: vine.string().maxLength(100).optional(),
})

/**
 * A Ping recorded by hand goes through the same rules as one from the edge.
 */
export const createPingValidator = vine.create({
  token: vine.string().trim().regex(UUID),
  kind: vine.enum(['success', 'start', 'fail', 'log'] as const).optional(),
  exit_status: vine.number().withoutDecimals().range([0, 255]).nullable().optional(),
  rid: vine.string().trim().regex(UUID).nullable().optional(),
  body: vine.string().maxLength(100_000).nullable().optional(),
})
