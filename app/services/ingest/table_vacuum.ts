import db from '@adonisjs/lucid/services/db'

export interface TableVacuumOptions {
  /** Dead row versions below this never start a vacuum */
  minDead: number
  /** ... nor do fewer dead than this many times the live rows */
  deadPerLive: number
  /** No vacuum sooner than this after the last one (ours or autovacuum's) */
  quietMs: number
}

export const TABLE_VACUUM_DEFAULTS: Readonly<TableVacuumOptions> = Object.freeze({
  minDead: 20_000,
  deadPerLive: 1,
  quietMs: 10_000,
})

const STATS_SQL = `
  SELECT n_live_tup AS live, n_dead_tup AS dead,
    extract(epoch FROM now() - greatest(last_vacuum, last_autovacuum)) * 1000 AS since_ms
  FROM pg_stat_user_tables WHERE relid = ?::regclass`

/** The tables ingest churns: each can be vacuumed by the worker. */
export type ChurnedTable = 'tokens' | 'pings'

export interface VacuumCheck {
  live: number
  dead: number
  vacuumed: boolean
}

/**
 * Keeps a table that ingest churns from bloating. Every batch updates the row of each
 * Token it stored Pings for, and `alert_after` is indexed, so no such update is a HOT one:
 * each leaves a dead row version and an entry in every index of `tokens`; and pruning
 * deletes from `pings` as many rows as ingest adds. With autovacuum off (CI servers often
 * turn it off) or behind (its naptime is a minute, its threshold a fifth of the table), a
 * table of a thousand Tokens grew to a million dead versions in a minute, and every
 * look-up and update of a Token walked them: the Token update cost 2 to 4 times as much,
 * and pruning's index walks likewise. The worker makes those versions, so it checks the
 * tables' counts now and then and vacuums one when its dead versions outnumber the live
 * ones (SKIP_LOCKED: never waits behind autovacuum or another worker's vacuum; a vacuum
 * blocks no read or write).
 */
export class TableVacuum {
  constructor(
    readonly table: ChurnedTable,
    readonly options: TableVacuumOptions = TABLE_VACUUM_DEFAULTS
  ) {}

  async check(): Promise<VacuumCheck> {
    const result = await db.rawQuery(STATS_SQL, [this.table])
    const row = result.rows[0] as
      { live: string; dead: string; since_ms: string | null } | undefined
    const live = Number(row?.live ?? 0)
    const dead = Number(row?.dead ?? 0)
    // No row (no statistics yet) or never vacuumed: as if long ago.
    const sinceMs = row === undefined || row.since_ms === null ? Infinity : Number(row.since_ms)
    const due =
      dead >= this.options.minDead &&
      dead >= live * this.options.deadPerLive &&
      sinceMs >= this.options.quietMs
    if (due) {
      // a fixed name from ChurnedTable, never input
      await db.rawQuery(`VACUUM (SKIP_LOCKED) ${this.table}`)
    }
    return { live, dead, vacuumed: due }
  }
}
