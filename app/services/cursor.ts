/**
 * Opaque cursors for keyset pagination over a descending bigint id.
 */
export function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url')
}

/**
 * Returns the id a cursor points after, or null for a cursor that is not ours.
 */
export function decodeCursor(cursor: string): number | null {
  const match = /^id:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString())
  return match ? Number(match[1]) : null
}

/**
 * Splits `limit + 1` rows into the page and the cursor of the next one.
 */
export function page<T extends { id: number }>(rows: T[], limit: number) {
  const items = rows.slice(0, limit)
  const nextCursor = rows.length > limit ? encodeCursor(items[items.length - 1].id) : null
  return { items, meta: { limit, next_cursor: nextCursor } }
}
