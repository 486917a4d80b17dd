import { cpus } from 'node:os'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { Redis } from 'ioredis'
import { assertRepository, bench, ensureWrk, prepare, removeScratch } from './setup.js'
import { edgeBench } from './edge_bench.js'
import { ingestBench } from './ingest_bench.js'
import { apiBench } from './api_bench.js'
import { lateBench } from './late_bench.js'
import { platformBench, redisDownBench } from './platform_bench.js'
import { claimBenchScope } from './scope.js'
import {
  apiSection,
  edgeSection,
  footprintSection,
  ingestSection,
  lateSection,
  platformSection,
  redisDownSection,
  type Section,
} from './report.js'
import { scaleSection } from './scale_bench.js'
import { footprintBench } from './footprint_run.js'

/**
 * `pnpm bench`: each benchmark prints its ratio to a baseline measured in the
 * same run and the conditions it ran under; bench/RESULTS.md keeps the latest
 * figures. Targets: edge ≥ 0.6 × bare node:http and < 100 MB RSS; ingest ≥
 * 0.5 × COPY and ≥ 20,000 pings/s; API p95 ≤ 3 × its SQL; late detection
 * < 1 s, following the overdue; the whole platform stores ≥ 0.5 × bare
 * node:http (keep-alive) and ≥ 0.4 × (one connection a ping), the edge under
 * 100 MB, a 503 with Redis down under 100 ms.
 */
const NAMES = ['platform', 'edge', 'ingest', 'api', 'late', 'footprint'] as const
const wanted = new Set((process.env.BENCH_ONLY ?? NAMES.join(',')).split(','))

// Not in the default run: the platform bench probes Redis down once; this repeats only that.
const redisDown = wanted.delete('redis-down')

// Not in the default run (minutes at 1 M Tokens): its own database, Redis DB and table.
if (wanted.delete('scale')) {
  const { scaleBench } = await import('./scale_bench.js')
  await scaleBench()
  if (wanted.size === 0 && !redisDown) {
    process.exit(0)
  }
}

function print(sections: Section[]) {
  for (const section of sections) {
    for (const [name, value] of section.rows) {
      console.log(`${name.padEnd(62)} ${value}`)
    }
    for (const note of section.notes) {
      console.log(`  conditions: ${note}`)
    }
  }
}

/** Below this line RESULTS.md is written by hand (decisions, comparisons) and kept. */
const KEPT = '<!-- Kept across runs: written by hand -->'

function writeResults(sections: Section[]) {
  const file = new URL('RESULTS.md', import.meta.url)
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : ''
  const kept = previous.includes(KEPT) ? previous.slice(previous.indexOf(KEPT)) : `${KEPT}\n`
  // The scale bench's table (BENCH_ONLY=scale) is kept as it was.
  const scale = scaleSection(previous)
  const body = sections.map((section) =>
    [
      `## ${section.title}`,
      '',
      '| measure | value |',
      '|---|---|',
      ...section.rows.map(([name, value]) => `| ${name.trim()} | ${value} |`),
      '',
      ...section.notes.map((note) => `Conditions: ${note}`),
      '',
    ].join('\n')
  )
  writeFileSync(
    file,
    `# Benchmark results

Latest run of \`pnpm bench\` (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores,
${cpus()[0]?.model ?? 'unknown CPU'}; say below whether the machine was shared with other work:
then figures move between runs, ratios less so). Database \`${bench.database}\`, Redis
database ${bench.redisDb}: the benchmark's own, claimed for the run as test runs claim theirs.

${body.join('\n')}
Command: \`pnpm bench\` (settings: BENCH_ONLY=${NAMES.join('|')} (comma-separated; also scale, redis-down), BENCH_SECONDS
(platform, 60), BENCH_PLATFORM_ROUNDS (2), BENCH_CLIENTS (platform: keep-alive,close), BENCH_PING_LOG_LIMIT, BENCH_EDGE_SECONDS (edge and ingest's fill, 3),
BENCH_EDGE_ROUNDS, BENCH_TOKENS, BENCH_API_PINGS, BENCH_API_SAMPLES, BENCH_EDGE_NODE_OPTIONS,
BENCH_WORKER_NODE_ARGS, BENCH_PROFILE_ARGS, BENCH_DATABASE, BENCH_REDIS_DB, BENCH_REDIS_DOWN_ROUNDS,
BENCH_IDLE_SECONDS, BENCH_FOOTPRINT_SECONDS, BENCH_FOOTPRINT_TOKENS).

${scale ? `${scale}\n\n` : ''}${kept}`
  )
}

assertRepository()
ensureWrk()
const releaseScope = await claimBenchScope()
const redis = new Redis({
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.REDIS_PORT ?? 6379),
  password: process.env.REDIS_PASSWORD || undefined,
  db: bench.redisDb,
})
try {
  const { tokens, uuidFile } = await prepare(redis)
  console.log(`bench: ${tokens.length} Tokens in ${bench.database}, Redis db ${bench.redisDb}`)
  const sections: Section[] = []
  if (wanted.has('platform')) {
    sections.push(platformSection(await platformBench(redis, uuidFile, tokens[0].uuid)))
  }
  if (wanted.has('edge')) {
    sections.push(edgeSection(await edgeBench(uuidFile, tokens[0].uuid)))
  }
  if (wanted.has('ingest')) {
    sections.push(ingestSection(await ingestBench(redis, tokens, uuidFile)))
  }
  if (wanted.has('api')) {
    sections.push(apiSection(await apiBench()))
  }
  // Last: it replaces the bench Tokens with its own.
  if (wanted.has('late')) {
    sections.push(lateSection(await lateBench()))
  }
  // After the others: its roles use the run's Redis database, emptied first.
  if (wanted.has('footprint')) {
    await redis.flushdb()
    sections.push(footprintSection(await footprintBench()))
  }
  const complete = sections.length === NAMES.length
  if (redisDown) {
    sections.push(redisDownSection(await redisDownBench(redis, uuidFile, tokens[0].uuid)))
  }
  print(sections)
  if (complete) {
    writeResults(sections)
  }
  await redis.flushdb()
} finally {
  redis.disconnect()
  removeScratch()
  await releaseScope()
}
