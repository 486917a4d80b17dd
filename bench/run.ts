import { cpus } from 'node:os'
import { writeFileSync } from 'node:fs'
import { Redis } from 'ioredis'
import { assertRepository, bench, ensureWrk, prepare } from './setup.js'
import { edgeBench, type EdgeFigures } from './edge_bench.js'
import { ingestBench, type IngestFigures } from './ingest_bench.js'

/**
 * `pnpm bench`: each benchmark prints its ratio to a baseline measured in the
 * same run, and bench/RESULTS.md keeps the latest figures.
 * Targets: edge ≥ 0.6 × bare node:http, edge RSS < 100 MB under load,
 * ingest ≥ 0.5 × COPY and ≥ 20,000 pings/s.
 */
const round = (value: number) => Math.round(value).toLocaleString('en-US')
const verdict = (ok: boolean) => (ok ? 'ok' : 'BELOW TARGET')

function report(edge: EdgeFigures, ingest: IngestFigures) {
  const rows = [
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
    [
      'ingest pings/s (stream → PostgreSQL)',
      `${round(ingest.ingestPerSecond)} ${verdict(ingest.ingestPerSecond >= 20_000)}`,
    ],
    ['COPY rows/s (same rows, same table)', round(ingest.copyPerSecond)],
    ['ingest / COPY (target ≥ 0.5)', `${ingest.ratio.toFixed(2)} ${verdict(ingest.ratio >= 0.5)}`],
  ]
  for (const [name, value] of rows) {
    console.log(`${name.padEnd(58)} ${value}`)
  }
  return rows
}

function writeResults(rows: string[][], edge: EdgeFigures, ingest: IngestFigures) {
  const table = rows.map(([name, value]) => `| ${name} | ${value} |`).join('\n')
  writeFileSync(
    new URL('RESULTS.md', import.meta.url),
    `# Benchmark results

Latest run of \`pnpm bench\` (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores,
${cpus()[0]?.model ?? 'unknown CPU'}; shared with other work, so figures move between runs,
ratios less so).

| measure | value |
|---|---|
${table}

- Edge: \`${edge.wrk}\` against the edge (ping/main.ts compiled to JavaScript as in the
  image, \`node ${edge.nodeOptions}\`) and against \`bench/bare_server.js\`, in 5
  alternating rounds (median ratio), ${bench.tokens} Tokens picked at random,
  PING_RATE_LIMIT=0. RSS includes ~60-75 MB of the Node 24 binary's own pages (file-backed,
  shared); "anonymous" is what the edge itself holds.
- Ingest: the edge fills the stream under that load (${ingest.pings.toLocaleString('en-US')}
  pings over ${bench.tokens} Tokens, packed as the edge packs a loop turn's pings), then
  \`node ace worker:run\` drains it (default batch size), timed from its start line to the
  empty stream; baseline: psql \`\\copy\` of as many rows into the same \`pings\` table.
  Best of 2 rounds each.
- Database \`${bench.database}\`, Redis database ${bench.redisDb}: the benchmark's own.

Command: \`pnpm bench\` (settings: BENCH_SECONDS, BENCH_TOKENS, BENCH_ONLY=edge|ingest,
BENCH_EDGE_NODE_OPTIONS, BENCH_WORKER_NODE_ARGS).
`
  )
}

assertRepository()
ensureWrk()
const redis = new Redis({
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.REDIS_PORT ?? 6379),
  password: process.env.REDIS_PASSWORD || undefined,
  db: bench.redisDb,
})
try {
  const { tokens, uuidFile } = await prepare(redis)
  console.log(`bench: ${tokens.length} Tokens in ${bench.database}, Redis db ${bench.redisDb}`)
  const only = process.env.BENCH_ONLY
  const edge = only === 'ingest' ? null : await edgeBench(uuidFile, tokens[0].uuid)
  const ingest = only === 'edge' ? null : await ingestBench(redis, tokens, uuidFile)
  if (edge && ingest) {
    writeResults(report(edge, ingest), edge, ingest)
  } else {
    console.log(JSON.stringify(edge ?? ingest, null, 2))
  }
  await redis.flushdb()
} finally {
  redis.disconnect()
}
