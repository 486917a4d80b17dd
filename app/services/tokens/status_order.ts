import Token from '#models/token'
import { STATUS_SQL } from '#models/token_state'

type TokenQuery = ReturnType<typeof Token.query>

/**
 * The dashboard's "Down first" order as groups, in STATUS_RANK's order:
 * down, late (in grace), in a run, up, new, paused. The four stored statuses
 * (new, up, down, paused) leave nothing else for STATUS_RANK's ELSE than
 * paused. The grace group repeats its condition with token_grace_start, the
 * form its index knows (migration 0025).
 */
export const STATUS_GROUPS = [
  STATUS_SQL.down,
  `${STATUS_SQL.grace} AND token_grace_start(alert_after, grace) <= now()`,
  STATUS_SQL.started,
  STATUS_SQL.up,
  STATUS_SQL.new,
  STATUS_SQL.paused,
] as const

/**
 * The ids of the first `count` Tokens in "Down first" order (rank, name, id),
 * `narrow` applying the owner and the filters. Each group is read from an
 * index in name order and only as far as the page needs, so a page costs
 * what it shows, not a rank and sort of every Token.
 */
export async function statusOrderIds(
  narrow: (query: TokenQuery) => void,
  count: number
): Promise<number[]> {
  const ids: number[] = []
  for (const condition of STATUS_GROUPS) {
    if (ids.length >= count) {
      break
    }
    const query = Token.query()
      .select('id')
      .whereRaw(condition)
      .orderBy('name')
      .orderBy('id')
      .limit(count - ids.length)
    narrow(query)
    const rows = await query.pojo<{ id: number | string }>()
    ids.push(...rows.map((row) => Number(row.id)))
  }
  return ids
}
