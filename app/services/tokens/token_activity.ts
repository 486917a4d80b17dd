import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import Token from '#models/token'
import Ping from '#models/ping'
import Channel from '#models/channel'

export interface ChartPing {
  at: number
  kind: string
  durationMs: number | null
}

/** Bucket sizes of the "pings over time" chart, in seconds. */
const STEPS = [60, 300, 900, 3600, 6 * 3600, 86_400, 7 * 86_400]
const CHART_PINGS = 500

/**
 * The time axis of a chart, in seconds: the data's own span, widened to half
 * a bucket each side so that a single point (or bucket) does not leave uPlot
 * to guess a span (it guessed years).
 */
export function timeRange(times: number[], step: number): [number, number] | null {
  if (times.length === 0) {
    return null
  }
  return [times[0] - step / 2, times[times.length - 1] + step / 2]
}

/**
 * uPlot data (columns, times in seconds) for a Token's charts: run durations
 * in seconds, and pings per bucket split into success, fail and others, with
 * the time range of each chart's axis.
 */
export function chartSeries(pings: ChartPing[], buckets = 48) {
  const runs = pings.filter((ping) => ping.durationMs !== null)
  const durations = [
    runs.map((ping) => ping.at / 1000),
    runs.map((ping) => ping.durationMs! / 1000),
  ]
  if (pings.length === 0) {
    return { durations, counts: [[], [], [], []], step: STEPS[0], pings: 0, ranges: null }
  }
  const first = pings[0].at
  const span = (pings[pings.length - 1].at - first) / 1000
  const step = STEPS.find((size) => span / size <= buckets) ?? STEPS[STEPS.length - 1]
  const start = Math.floor(first / 1000 / step) * step
  const size = Math.floor((pings[pings.length - 1].at / 1000 - start) / step) + 1
  const counts = [Array.from({ length: size }, (_, i) => start + i * step)]
  counts.push(new Array(size).fill(0), new Array(size).fill(0), new Array(size).fill(0))
  for (const ping of pings) {
    const slot = Math.floor((ping.at / 1000 - start) / step)
    const series = ping.kind === 'success' ? 1 : ping.kind === 'fail' ? 2 : 3
    counts[series][slot] += 1
  }
  const ranges = { durations: timeRange(durations[0], step), counts: timeRange(counts[0], step) }
  return { durations, counts, step, pings: pings.length, ranges }
}

/**
 * What the admin UI shows around Tokens beyond the REST API's reads.
 */
export default class TokenActivity {
  /** Pings a page of a Token's ping log. */
  static pingPage = 20

  /**
   * The chart data of the Token's latest pings, oldest first.
   */
  static async chart(token: Token) {
    const rows = await Ping.query()
      .where('token_id', token.id)
      .orderBy('id', 'desc')
      .limit(CHART_PINGS)
      .select('created_at', 'kind', 'duration_ms')
    const pings = rows.reverse().map((row) => ({
      at: row.createdAt.toMillis(),
      kind: row.kind,
      durationMs: row.durationMs,
    }))
    return chartSeries(pings)
  }

  /**
   * Every tag on the Tokens of a Project (null: of all), for the dashboard's filter,
   * read from project_tags, which triggers on tokens keep (migration 0081).
   */
  static async tags(projectId: number | null): Promise<string[]> {
    const result =
      projectId === null
        ? await db.rawQuery('SELECT DISTINCT tag FROM project_tags ORDER BY tag LIMIT 200')
        : await db.rawQuery(
            'SELECT tag FROM project_tags WHERE project_id = ? ORDER BY tag LIMIT 200',
            [projectId]
          )
    return result.rows.map((row: { tag: string }) => row.tag)
  }

  /**
   * The Users who own Tokens, for an admin's owner filter.
   */
  static owners() {
    return User.query()
      .whereIn('id', db.from('tokens').select('user_id'))
      .orderBy('email')
      .select('id', 'email')
  }

  /**
   * The Channels a Token of this Project may alert.
   */
  static channelsOf(projectId: number) {
    return Channel.query().where('project_id', projectId).orderBy('name')
  }

  /** The Project's other Tokens, which the form offers as parents. */
  static parentChoices(projectId: number, exceptId: number | null) {
    const query = Token.query()
      .where('project_id', projectId)
      .orderBy('name')
      .select('id', 'uuid', 'name')
    return exceptId === null ? query : query.whereNot('id', exceptId)
  }
}
