import type { FootprintFigures, FootprintRole } from './footprint_run.js'
import type { ApiFigures } from './api_bench.js'
import type { EdgeFigures } from './edge_bench.js'
import type { PlatformFigures, RedisDownFigures } from './platform_bench.js'
import { describeRedisDown, downTarget, REDIS_DOWN, type RedisDown } from './redis_down.js'
import type { IngestFigures } from './ingest_bench.js'
import type { LateFigures } from './late_bench.js'
import { bench } from './setup.js'

/**
 * The rows and notes each benchmark adds to the printed table and to
 * bench/RESULTS.md: its figures, its baseline and the ratio to its target.
 */
export interface Section {
  title: string
  rows: [string, string][]
  notes: string[]
}

const round = (value: number) => Math.round(value).toLocaleString('en-US')
const verdict = (ok: boolean) => (ok ? 'ok' : 'BELOW TARGET')

export function edgeSection(edge: EdgeFigures): Section {
  const rows: [string, string][] = [['bare node:http "OK" requests/s', round(edge.barePerSecond)]]
  for (const figures of edge.clients) {
    const name = `edge (PING_REDIS_CLIENT=${figures.client})`
    rows.push(
      [`${name} pings/s (valid Tokens, enqueued)`, round(figures.perSecond)],
      [
        `${name} / bare (target ≥ 0.6)`,
        `${figures.ratio.toFixed(2)} ${verdict(figures.ratio >= 0.6)} (rounds ${figures.rounds.map((r) => r.toFixed(2)).join(' ')})`,
      ],
      [`${name} non-2xx answers`, String(figures.non2xx)],
      [
        `${name} max RSS under load (target < 100 MB)`,
        `${figures.maxRssMb.toFixed(0)} MB ${verdict(figures.maxRssMb < 100)}, anonymous ${figures.maxAnonMb.toFixed(0)} MB`,
      ]
    )
    for (const [down, ms] of Object.entries(figures.unavailableMs)) {
      rows.push(slowestRow(name, down as RedisDown, ms))
    }
  }
  rows.push(['bare node:http max RSS under load', `${edge.bareMaxRssMb.toFixed(0)} MB`])
  return {
    title: 'Edge alone, by Redis client',
    rows,
    notes: [
      `Edge: ${edge.conditions}; ${bench.tokens} Tokens picked at random, PING_RATE_LIMIT=0. Redis down (200 pings one after the other after one uncounted \`/health\` call): ${REDIS_DOWN.map((down) => describeRedisDown[down]).join('; ')}. RSS includes ~60-75 MB of the Node 24 binary's own pages (file-backed, shared); "anonymous" is what the edge itself holds.`,
    ],
  }
}

/** The target of stored/s ÷ bare by client (issue 17) */
const PLATFORM_TARGET = { 'keep-alive': 0.5, 'close': 0.4 } as const

/**
 * Each client's ratio over all its rounds: Σ stored/s ÷ Σ bare req/s. The
 * machine's speed drifts by half within minutes (a bare round once gave
 * 41,392 req/s just before a platform round and 24,930 just after), so the
 * verdict is taken on every round of a client together, each round's ratio
 * shown beside it.
 */
function platformRatios(platform: PlatformFigures): [string, string][] {
  return Object.entries(PLATFORM_TARGET).flatMap(([client, target]) => {
    const rounds = platform.rounds.filter((r) => r.client === client)
    if (rounds.length === 0) {
      return []
    }
    const stored = rounds.reduce((sum, r) => sum + r.storedPerSecond, 0)
    const bare = rounds.reduce((sum, r) => sum + r.bare.perSecond, 0)
    const ratio = stored / bare
    return [
      [
        `platform, ${client}: stored/s ÷ bare, all ${rounds.length} rounds (Σ stored/s ÷ Σ bare) (target ≥ ${target})`,
        `${ratio.toFixed(2)} ${verdict(ratio >= target)} (rounds ${rounds.map((r) => r.ratio.toFixed(2)).join(' ')})`,
      ],
    ]
  })
}

export function platformSection(platform: PlatformFigures): Section {
  const rows: [string, string][] = platformRatios(platform)
  const counts = new Map<string, number>()
  for (const r of platform.rounds) {
    const nth = (counts.get(r.client) ?? 0) + 1
    counts.set(r.client, nth)
    const name = `platform, ${r.client}, round ${nth}:`
    rows.push(
      [`${name} answered/s (all answers)`, `${round(r.edge.perSecond)} (non-2xx ${r.edge.non2xx})`],
      [
        `${name} stored/s end to end (stored ÷ s to drained)`,
        `${round(r.storedPerSecond)} (${round(r.stored)} in ${r.drainSeconds.toFixed(1)} s)`,
      ],
      [
        `${name} lost (2xx answers counted by wrk − stored)`,
        `${round(Math.max(0, r.accepted - r.stored))} ${verdict(r.accepted <= r.stored)}${r.stored > r.accepted ? ` (${round(r.stored - r.accepted)} more stored: pings in flight when wrk stopped)` : ''}`,
      ],
      [`${name} wrk socket errors`, r.edge.socketErrors],
      [
        `${name} bare node:http requests/s, same client (mean; before / after)`,
        `${round(r.bare.perSecond)} (${round(r.bare.before.perSecond)} / ${round(r.bare.after.perSecond)})`,
      ],
      [`${name} stored/s ÷ bare, this round`, r.ratio.toFixed(2)],
      [
        `${name} pings a Token; rows in pings once drained`,
        `${round(r.stored / bench.tokens)} (PING_LOG_LIMIT ${platform.pingLogLimit}${r.stored / bench.tokens > platform.pingLogLimit ? '' : ': NOT PASSED, no pruning'}); ${round(r.rowsDrained)} (${round(platform.pingLogLimit * bench.tokens)} at the limit)`,
      ],
      [
        `${name} edge max RSS under load (target < 100 MB)`,
        `${r.edge.rss.toFixed(0)} MB ${verdict(r.edge.rss < 100)}`,
      ]
    )
    for (const p of r.processes) {
      rows.push([
        `${name}   ${p.name}: max RSS, CPU share`,
        `${p.maxRssMb.toFixed(0)} MB, ${p.cpuShare.toFixed(2)} core`,
      ])
    }
    for (const [down, ms] of Object.entries(r.unavailableMs)) {
      rows.push(slowestRow(name, down as RedisDown, ms))
    }
    rows.push([
      `${name} backlog (s: entries queued / stored)`,
      r.backlog
        .map((b) => `${b.seconds.toFixed(0)}: ${round(b.entries)}/${round(b.stored)}`)
        .join(', '),
    ])
  }
  return {
    title: 'Whole platform',
    rows,
    notes: [
      `Platform: ${platform.seconds} s of load a round; ${platform.conditions.join('; ')}. Stored = Σ tokens.n_pings (rows in \`pings\` are pruned as they come, so counting them would under-count); stored/s = stored ÷ seconds from the load's start until the stream is empty. CPU share = CPU seconds ÷ the load's wall seconds (1.00 = one core busy). Redis down: an extra ping role started beside the platform during the keep-alive load (200 pings one after the other after one uncounted \`/health\` call), ${REDIS_DOWN.map((down) => describeRedisDown[down]).join('; ')}.`,
    ],
  }
}

export function ingestSection(ingest: IngestFigures): Section {
  return {
    title: 'Ingest',
    rows: [
      [
        'ingest pings/s (stream → PostgreSQL)',
        `${round(ingest.ingestPerSecond)} ${verdict(ingest.ingestPerSecond >= 20_000)}`,
      ],
      ['COPY rows/s (same rows, same table)', round(ingest.copyPerSecond)],
      [
        'ingest / COPY (target ≥ 0.5)',
        `${ingest.ratio.toFixed(2)} ${verdict(ingest.ratio >= 0.5)}`,
      ],
    ],
    notes: [
      `Ingest: the compiled edge alone (PING_REDIS_CLIENT=builtin) fills the stream under the edge bench's keep-alive load (${ingest.pings.toLocaleString('en-US')} pings over ${bench.tokens} Tokens, packed as the edge packs a loop turn's pings), then the worker role, compiled as \`pnpm start\` runs it (bin/roles.ts), drains it with the edge stopped (default batch size, PING_LOG_LIMIT as configured: these pings stay under it, so no pruning — see the platform bench for that), timed from its start line to the empty stream, tables truncated and vacuumed before each round; baseline: psql \`\\copy\` of as many rows into the same \`pings\` table. Best of 2 rounds each.`,
    ],
  }
}

export function apiSection(api: ApiFigures): Section {
  return {
    title: 'API',
    rows: [
      [
        'API p50 / p95, a page of 50 Pings of one Token',
        `${api.apiP50Ms.toFixed(2)} / ${api.apiP95Ms.toFixed(2)} ms`,
      ],
      [
        'bare SQL p50 / p95, the same page',
        `${api.sqlP50Ms.toFixed(2)} / ${api.sqlP95Ms.toFixed(2)} ms`,
      ],
      [
        'API / SQL p95, median round (target ≤ 3)',
        `${api.ratio.toFixed(2)} ${verdict(api.ratio <= 3)}`,
      ],
      ['  each round', api.rounds.map((ratio) => ratio.toFixed(2)).join(' ')],
    ],
    notes: [
      `API: \`GET /api/v1/tokens/:id/pings?limit=50\` with an API key against the web as the image runs it (\`node ace build\`, then \`build/bin/server.js\`, NODE_ENV=production), ${api.rounds.length} rounds of ${api.requests / api.rounds.length} calls after ${api.warmup} warm-up ones (median round's ratio; p50 and p95 over all calls), Tokens taken in turn from ${bench.tokens}, ${api.pings.toLocaleString('en-US')} Pings in the table; baseline: the page's own statement (PostgreSQL writes the page's JSON; \`app/services/tokens/ping_pages_sql.ts\`), prepared as the app prepares it, over a kept-alive pg connection, one query after each call, so load from elsewhere weighs on both alike. The client is node:http with keep-alive and parses each body.`,
    ],
  }
}

export function lateSection(late: LateFigures): Section {
  const [main, small, many] = late.passes
  const rows: [string, string][] = late.passes.map(({ total, overdue, ms }) => [
    `late detection, ${round(overdue)} overdue of ${round(total)} Tokens`,
    `${ms.toFixed(0)} ms${total === 100_000 && overdue === 1_000 ? ` ${verdict(ms < 1000)} (target < 1 s)` : ''}`,
  ])
  rows.push([
    'same overdue, 10× the Tokens (≈ 1 when cost follows overdue)',
    (main.ms / small.ms).toFixed(2),
  ])
  rows.push([
    '10× the overdue, same Tokens (≈ 10 when cost follows overdue)',
    (many.ms / main.ms).toFixed(2),
  ])
  return {
    title: 'Late detection',
    rows,
    notes: [
      'Late detection: one pass of the scheduler (`node ace tokens:late`, timing the pass alone) over up Tokens with a spread of `alert_after`; the overdue ones are flipped down with a Flip each.',
    ],
  }
}

const sum = (roles: FootprintRole[], pick: (role: FootprintRole) => number) =>
  roles.reduce((total, role) => total + pick(role), 0)

export function footprintSection(figures: FootprintFigures): Section {
  const rows: [string, string][] = []
  const targets = { full: { idle: 600, peak: Infinity }, small: { idle: 300, peak: 400 } }
  for (const result of figures.results) {
    const mode = result.variant === 'full' ? 'pnpm start (full)' : 'pnpm start --small'
    const each = (pick: (role: FootprintRole) => number) =>
      result.rows.map((role) => `${role.name} ${pick(role).toFixed(0)}`).join(', ')
    const idle = sum(result.rows, (role) => role.idle)
    const peak = sum(result.rows, (role) => role.peak)
    const target = targets[result.variant]
    rows.push(
      [
        `${mode}: idle RSS, all roles (target ≤ ${target.idle} MB)`,
        `${idle.toFixed(0)} MB ${verdict(idle <= target.idle)} (${each((role) => role.idle)})`,
      ],
      [
        `${mode}: peak RSS under load, all roles${Number.isFinite(target.peak) ? ` (target ≤ ${target.peak} MB)` : ''}`,
        `${peak.toFixed(0)} MB${Number.isFinite(target.peak) ? ` ${verdict(peak <= target.peak)}` : ''} (${each((role) => role.peak)}; ${round(result.pingsPerS)} pings/s, non-2xx ${round(result.non2xx)})`,
      ]
    )
    const edge = result.rows.find((role) => role.name === 'ping')
    if (edge) {
      rows.push([
        `${mode}: edge peak RSS under load (target < 100 MB)`,
        `${edge.peak.toFixed(0)} MB ${verdict(edge.peak < 100)}`,
      ])
    }
    rows.push([
      `${mode}: ready (web and edge answer) / SIGTERM to exit`,
      `${result.readyS.toFixed(1)} s / ${result.stopS.toFixed(1)} s (exit codes ${result.codes.join(',')})`,
    ])
  }
  const { idleSeconds, loadSeconds, connections, tokens, nodeEnv } = figures.conditions
  return {
    title: 'Footprint',
    rows,
    notes: [
      `Footprint: the roles of each mode started as \`pnpm start\` starts them (bin/roles.ts, the compiled build, NODE_ENV=${nodeEnv ?? 'development'} as .env says), ${tokens} Tokens made through the API, then idle RSS = median of 5 samples after ${idleSeconds} s idle; peak RSS = highest sample (every 500 ms) while \`wrk -t 2 -c ${connections} -d ${loadSeconds}\` pings the edge over those Tokens with the worker storing, and 3 s after; the supervisor (\`node bin/start.ts\`) is not counted.`,
    ],
  }
}

/** The slowest 503 with Redis down, against its kind's target */
function slowestRow(name: string, down: RedisDown, ms: number): [string, string] {
  const target = downTarget(down)
  return [
    `${name} slowest 503 of 200, Redis down (${down}) (target ${target.says})`,
    `${ms.toFixed(1)} ms ${verdict(ms < target.ms)}`,
  ]
}

export function redisDownSection(figures: RedisDownFigures): Section {
  const rows: [string, string][] = []
  for (const down of REDIS_DOWN) {
    const slowest = Math.max(...figures.slowestMs[down])
    const target = downTarget(down)
    rows.push([
      `slowest 503 of 200, Redis down (${down}), each round (target ${target.says})`,
      `${figures.slowestMs[down].map((ms) => ms.toFixed(1)).join(' / ')} ms ${verdict(slowest < target.ms)}`,
    ])
  }
  rows.push([
    'the platform edge meanwhile: answers/s, non-2xx',
    `${round(figures.platform.perSecond)}, ${figures.platform.non2xx}`,
  ])
  return {
    title: 'Redis down while the platform runs',
    rows,
    notes: [
      `Redis down: ${figures.conditions}. Each probe: 200 pings one after the other after one uncounted \`/health\` call; ${REDIS_DOWN.map((down) => describeRedisDown[down]).join('; ')}.`,
    ],
  }
}
