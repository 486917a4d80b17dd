import Token from '#models/token'
import { STATUS_SQL } from '#models/token_state'

type TokenQuery = ReturnType<typeof Token.query>

/**
 * The dashboard's "Down first" order as groups, in STATUS_RANK's order:
 * down, warning, late (in grace), in a run, up, new, paused. The stored statuses
 * (new, up, warning, down, paused) leave nothing else for STATUS_RANK's ELSE than
 * paused. The grace group repeats its condition with token_grace_start, the
 * form its index knows (migration 0025). The late and in-a-run groups are
 * few by nature (late Tokens go down within seconds).
 */
export const STATUS_GROUPS = [
  { condition: STATUS_SQL.down, few: false },
  { condition: STATUS_SQL.warning, few: false },
  {
    condition: `${STATUS_SQL.grace} AND token_grace_start(alert_after, grace) <= now()`,
    few: true,
  },
  { condition: STATUS_SQL.started, few: true },
  { condition: STATUS_SQL.up, few: false },
  { condition: STATUS_SQL.new, few: false },
  { condition: STATUS_SQL.paused, few: false },
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
  for (const { condition, few } of STATUS_GROUPS) {
    if (ids.length >= count) {
      break
    }
    // A group of few Tokens (late, in a run) is found by its own index and
    // sorted: ordering by `name || ''`, which no index gives, keeps the
    // planner from walking the name index in hope of meeting them early
    // (all of it when there are none).
    const query = Token.query()
      .select('id')
      .whereRaw(condition)
      .orderByRaw(few ? "name || '', id" : 'name, id')
      .limit(count - ids.length)
    narrow(query)
    const rows = await query.pojo<{ id: number | string }>()
    ids.push(...rows.map((row) => Number(row.id)))
  }
  return ids
}
