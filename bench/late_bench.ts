import pg from 'pg'
import { bench, pgConfig, run } from './setup.js'

export interface LateFigures {
  /** One pass over `total` Tokens of which `overdue` are late, in ms */
  passes: { total: number; overdue: number; ms: number }[]
}

/**
 * Fills `tokens` with `total` up Tokens, `overdue` of them past their
 * alert_after, the rest due within the hour.
 */
async function fill(total: number, overdue: number) {
  const client = new pg.Client({ ...pgConfig, database: bench.database })
  await client.connect()
  await client.query('TRUNCATE tokens, pings, flips RESTART IDENTITY CASCADE')
  await client.query(
    `INSERT INTO tokens (uuid, user_id, name, status, timeout, grace, last_ping_at, alert_after, created_at)
     SELECT gen_random_uuid(), 1, 'late ' || n, 'up', 3600, 600, now() - interval '1 hour',
       CASE WHEN n <= $2 THEN now() - interval '1 minute' ELSE now() + (600 + n % 3000) * interval '1 second' END,
       now()
     FROM generate_series(1, $1) AS n`,
    [total, overdue]
  )
  await client.query('VACUUM ANALYZE tokens')
  await client.end()
}

/**
 * The scheduler's late-detection pass (`node ace tokens:late`, which times
 * the pass alone) over 100,000 Tokens with 1,000 and 10,000 overdue, and over
 * 10,000 Tokens with 1,000 overdue: the cost follows the overdue count.
 */
export async function lateBench(): Promise<LateFigures> {
  const passes = []
  for (const [total, overdue] of [
    [100_000, 1_000],
    [10_000, 1_000],
    [100_000, 10_000],
  ]) {
    await fill(total, overdue)
    const output = await run(process.execPath, ['ace', 'tokens:late', '--json'])
    const { flipped, ms } = JSON.parse(output.trim().split('\n').pop()!)
    if (flipped !== overdue) {
      throw new Error(`late detection flipped ${flipped} of ${overdue} overdue Tokens`)
    }
    passes.push({ total, overdue, ms })
  }
  return { passes }
}
