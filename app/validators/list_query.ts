import vine from '@vinejs/vine'
import type { DisplayStatus } from '#models/token_state'

/**
 * Query-string filters of the admin UI's lists. An empty form field
 * arrives as an empty string and means "no filter".
 */
export function presentOnly(query: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => typeof value === 'string' && value !== '')
  )
}

/** The statuses a Token shows and a list filters on, in the order the filter lists them. */
export const STATUSES = [
  'up',
  'warning',
  'grace',
  'down',
  'started',
  'new',
  'paused',
] as const satisfies readonly DisplayStatus[]

/** The dashboard's orders; the first is the default. */
export const SORTS = ['newest', 'status', 'name', 'last_ping'] as const
export type TokenSort = (typeof SORTS)[number]

export const dashboardFilterValidator = vine.create({
  status: vine.enum(STATUSES).optional(),
  sort: vine.enum(SORTS).optional(),
  owner: vine.number().withoutDecimals().range([1, 2_147_483_647]).optional(),
  tag: vine.string().trim().maxLength(50).optional(),
  q: vine.string().trim().maxLength(100).optional(),
  cursor: vine.string().maxLength(100).optional(),
})

export const cursorValidator = vine.create({
  cursor: vine.string().maxLength(100).optional(),
})
