import { cpus } from 'node:os'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { Redis } from 'ioredis'
import { assertRepository, bench, ensureWrk, prepare } from './setup.js'
import { edgeBench } from './edge_bench.js'
import { ingestBench } from './ingest_bench.js'
import { apiBench } from './api_bench.js'
import { lateBench } from './late_bench.js'
import { scaleSection } from './scale_bench.js'
import { apiSection, edgeSection, ingestSection, lateSection, type Section } from './report.js'

/**
 * `pnpm bench`: each benchmark prints its ratio to a baseline measured in the
 * same run, and bench/RESULTS.md keeps the latest figures. Targets: edge ≥
 * 0.6 × bare node:http and < 100 MB RSS; ingest ≥ 0.5 × COPY and ≥ 20,000
 * pings/s; API p95 ≤ 3 × its SQL; late detection < 1 s, following the overdue.
 */
const NAMES = ['edge', 'ingest', 'api', 'late'] as const
const wanted = new Set((process.env.BENCH_ONLY ?? NAMES.join(',')).split(','))

// Not in the default run (minutes at 1 M Tokens): its own database, Redis DB and table.
if (wanted.delete('scale')) {
  const { scaleBench } = await import('./scale_bench.js')
  await scaleBench()
  if (wanted.size === 0) {
    process.exit(0)
  }
}

function print(sections: Section[]) {
  for (const [name, value] of sections.flatMap((section) => section.rows)) {
    console.log(`${name.padEnd(62)} ${value}`)
  }
}

function writeResults(sections: Section[]) {
  // The scale bench's table (BENCH_ONLY=scale) is kept as it was.
  const resultsFile = new URL('RESULTS.md', import.meta.url)
  const scale = existsSync(resultsFile) ? scaleSection(readFileSync(resultsFile, 'utf8')) : ''
  const table = sections.flatMap((section) =>
    section.rows.map(([name, value]) => `| ${name} | ${value} |`)
  )
  const notes = sections.flatMap((section) => section.notes.map((note) => `- ${note}`))
  writeFileSync(
    new URL('RESULTS.md', import.meta.url),
    `# Benchmark results

Latest run of \`pnpm bench\` (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores,
${cpus()[0]?.model ?? 'unknown CPU'}; shared with other work, so figures move between runs,
ratios less so).

| measure | value |
|---|---|
${table.join('\n')}

${notes.join('\n')}
- Database \`${bench.database}\`, Redis database ${bench.redisDb}: the benchmark's own.

Command: \`pnpm bench\` (settings: BENCH_ONLY=${NAMES.join('|')} (comma-separated), BENCH_SECONDS,
BENCH_TOKENS, BENCH_API_PINGS, BENCH_API_SAMPLES, BENCH_EDGE_NODE_OPTIONS, BENCH_WORKER_NODE_ARGS).
${scale ? `\n${scale}\n` : ''}`
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
  const sections: Section[] = []
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
  print(sections)
  if (sections.length === NAMES.length) {
    writeResults(sections)
  }
  await redis.flushdb()
} finally {
  redis.disconnect()
}
