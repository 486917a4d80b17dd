import { fieldError } from '#validators/field_error'
import { PAGE_SIZE } from '#validators/page'
import { nullable } from '#services/api_docs/schema_types'

/**
 * Opaque cursors for keyset pagination. A cursor carries the sort key of the
 * last row of a page; the next page starts after it.
 */
export function encodeCursor(key: string | number): string {
  return Buffer.from(`k:${key}`).toString('base64url')
}

/**
 * The key a cursor carries, if it matches `shape`; a 422 naming the `cursor`
 * field otherwise.
 */
export function decodeCursorKey(cursor: string, shape: RegExp): string {
  const text = Buffer.from(cursor, 'base64url').toString()
  const key = text.startsWith('k:') ? text.slice(2) : ''
  if (!shape.test(key)) {
    throw fieldError(
      'cursor',
      'The cursor field must be a next_cursor from a previous page',
      'cursor'
    )
  }
  return key
}

/**
 * The bigint id a cursor points after.
 */
export function decodeCursor(cursor: string): number {
  return Number(decodeCursorKey(cursor, /^\d{1,18}$/))
}

/**
 * Splits `limit + 1` rows into the page and the cursor of the next one.
 */
export function page<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => string | number = (row: any) => row.id
) {
  const items = rows.slice(0, limit)
  const nextCursor = rows.length > limit ? encodeCursor(keyOf(items[items.length - 1])) : null
  return { items, meta: { limit, next_cursor: nextCursor } }
}

type PageMeta = ReturnType<typeof page>['meta']

/** The API document's PageMeta: the `meta` of a list's answer */
export const pageMetaSchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', example: PAGE_SIZE.default },
    next_cursor: { ...nullable({ type: 'string' }), example: null },
  } satisfies { [Field in keyof PageMeta]-?: Record<string, unknown> },
}
