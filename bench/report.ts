import type { ApiFigures } from './api_bench.js'
import type { EdgeFigures } from './edge_bench.js'
import type { IngestFigures } from './ingest_bench.js'
import type { LateFigures } from './late_bench.js'
import { bench } from './setup.js'

/**
 * The rows and notes each benchmark adds to the printed table and to
 * bench/RESULTS.md: its figures, its baseline and the ratio to its target.
 */
export interface Section {
  rows: [string, string][]
  notes: string[]
}

const round = (value: number) => Math.round(value).toLocaleString('en-US')
const verdict = (ok: boolean) => (ok ? 'ok' : 'BELOW TARGET')

export function edgeSection(edge: EdgeFigures): Section {
  return {
    rows: [
      ['edge pings/s (valid Tokens, enqueued)', round(edge.edgePerSecond)],
      ['bare node:http "OK" requests/s', round(edge.barePerSecond)],
      ['edge / bare (target ≥ 0.6)', `${edge.ratio.toFixed(2)} ${verdict(edge.ratio >= 0.6)}`],
      ['edge non-2xx answers', String(edge.edgeNon2xx)],
      [
        'edge max RSS under load (target < 100 MB)',
        `${edge.edgeMaxRssMb.toFixed(0)} MB ${verdict(edge.edgeMaxRssMb < 100)}`,
      ],
      ['  of which anonymous (heap, buffers)', `${edge.edgeMaxAnonMb.toFixed(0)} MB`],
      ['bare node:http max RSS under load', `${edge.bareMaxRssMb.toFixed(0)} MB`],
      [
        'edge 503 with Redis down, slowest of 200 (target < 100 ms)',
        `${edge.unavailableMs.toFixed(1)} ms ${verdict(edge.unavailableMs < 100)}`,
      ],
    ],
    notes: [
      `Edge: \`${edge.wrk}\` against the edge (ping/main.ts compiled to JavaScript as in the image, \`node ${edge.nodeOptions}\`) and against \`bench/bare_server.js\`, in 5 alternating rounds (median ratio), ${bench.tokens} Tokens picked at random, PING_RATE_LIMIT=0. RSS includes ~60-75 MB of the Node 24 binary's own pages (file-backed, shared); "anonymous" is what the edge itself holds.`,
    ],
  }
}

export function ingestSection(ingest: IngestFigures): Section {
  return {
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
      `Ingest: the edge fills the stream under that load (${ingest.pings.toLocaleString('en-US')} pings over ${bench.tokens} Tokens, packed as the edge packs a loop turn's pings), then \`node ace worker:run\` drains it (default batch size), timed from its start line to the empty stream; baseline: psql \`\\copy\` of as many rows into the same \`pings\` table. Best of 2 rounds each.`,
    ],
  }
}

export function apiSection(api: ApiFigures): Section {
  return {
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
    rows,
    notes: [
      'Late detection: one pass of the scheduler (`node ace tokens:late`, timing the pass alone) over up Tokens with a spread of `alert_after`; the overdue ones are flipped down with a Flip each.',
    ],
  }
}
