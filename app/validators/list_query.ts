import vine from '@vinejs/vine'

/**
 * Query-string filters of the admin UI's lists. An empty form field
 * arrives as an empty string and means "no filter".
 */
export function presentOnly(query: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => typeof value === 'string' && value !== '')
  )
}

/** The statuses a person can filter on, in the order the filter lists them. */
export const STATUSES = ['up', 'grace', 'down', 'started', 'new', 'paused'] as const

export const dashboardFilterValidator = vine.create({
  status: vine.enum(STATUSES).optional(),
  tag: vine.string().trim().maxLength(50).optional(),
  q: vine.string().trim().maxLength(100).optional(),
  cursor: vine.string().maxLength(100).optional(),
})

export const cursorValidator = vine.create({
  cursor: vine.string().maxLength(100).optional(),
})
