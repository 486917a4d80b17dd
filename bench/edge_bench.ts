import { benchEnv, run } from './setup.js'
import { buildEdge, memoryMb, startServer, stop } from './processes.js'

export interface EdgeFigures {
  barePerSecond: number
  edgePerSecond: number
  /** Median of the rounds' edge / bare ratios */
  ratio: number
  edgeNon2xx: number
  edgeMaxRssMb: number
  /** Slowest 503 answer with Redis unreachable, in ms */
  unavailableMs: number
  edgeMaxAnonMb: number
  bareMaxRssMb: number
  wrk: string
  nodeOptions: string
}

const SECONDS = process.env.BENCH_SECONDS ?? '3'
const WRK_ARGS = ['-t', '2', '-c', '64', '-d', SECONDS]
/** The edge's V8 settings, as `pnpm edge` and the image start it */
export const EDGE_NODE_OPTIONS =
  process.env.BENCH_EDGE_NODE_OPTIONS ?? '--max-semi-space-size=1 --single-threaded'

/**
 * Runs wrk against a port: requests/s, non-2xx answers, and the highest
 * resident memory of `pid` meanwhile.
 */
async function load(port: number, uuidFile: string, pid: number) {
  let rss = 0
  let anon = 0
  const sampler = setInterval(() => {
    const memory = memoryMb(pid)
    rss = Math.max(rss, memory.rss)
    anon = Math.max(anon, memory.anon)
  }, 100)
  const output = await run(
    'wrk',
    [...WRK_ARGS, '-s', 'bench/wrk_pings.lua', `http://127.0.0.1:${port}`],
    { ...process.env, NGIP_UUIDS: uuidFile }
  )
  clearInterval(sampler)
  for (const line of output.split('\n').filter((text) => text.startsWith('answer '))) {
    console.log(`bench: ${line}`)
  }
  const perSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0)
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0)
  return { perSecond, non2xx, rss, anon }
}

const EDGE_PORT = 3397
const BARE_PORT = 3398

export async function startEdge() {
  return startServer(
    [...EDGE_NODE_OPTIONS.split(' '), await buildEdge()],
    benchEnv({ PING_PORT: String(EDGE_PORT), PING_HOST: '127.0.0.1' }),
    'ping edge listening'
  )
}

/** Pings the edge under load for a while: the stream as production fills it. */
export async function fillStream(uuidFile: string) {
  const edge = await startEdge()
  const measured = await load(EDGE_PORT, uuidFile, edge.pid!)
  await stop(edge)
  return measured
}

type Load = Awaited<ReturnType<typeof load>>

/**
 * With Redis unreachable (nothing listens on its port), how long the edge
 * takes to answer 503: the slowest of 200 requests, in ms.
 */
export async function unavailableAnswerMs(uuid: string) {
  const edge = await startServer(
    [...EDGE_NODE_OPTIONS.split(' '), await buildEdge()],
    benchEnv({ PING_PORT: String(EDGE_PORT), PING_HOST: '127.0.0.1', REDIS_PORT: '9' }),
    'ping edge listening'
  )
  let slowest = 0
  try {
    for (let i = 0; i < 200; i++) {
      const started = performance.now()
      const response = await fetch(`http://127.0.0.1:${EDGE_PORT}/ping/${uuid}`)
      await response.text()
      if (response.status !== 503) {
        throw new Error(`expected 503 with Redis down, got ${response.status}`)
      }
      slowest = Math.max(slowest, performance.now() - started)
    }
  } finally {
    await stop(edge)
  }
  return slowest
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]

/**
 * The edge (rate limit off, valid Tokens, pings enqueued for real) against a
 * bare node:http "OK" server: same Node, same wrk settings, in alternating
 * rounds so that load from elsewhere hits both alike.
 */
export async function edgeBench(uuidFile: string, uuid: string, rounds = 5): Promise<EdgeFigures> {
  const bare: Load[] = []
  const edge: Load[] = []
  for (let round = 0; round < rounds; round++) {
    const server = await startServer(
      ['bench/bare_server.js'],
      { ...process.env, PORT: String(BARE_PORT) },
      'bare server'
    )
    bare.push(await load(BARE_PORT, uuidFile, server.pid!))
    await stop(server)
    edge.push(await fillStream(uuidFile))
  }
  return {
    barePerSecond: median(bare.map((figures) => figures.perSecond)),
    edgePerSecond: median(edge.map((figures) => figures.perSecond)),
    ratio: median(edge.map((figures, i) => figures.perSecond / bare[i].perSecond)),
    edgeNon2xx: edge.reduce((sum, figures) => sum + figures.non2xx, 0),
    edgeMaxRssMb: Math.max(...edge.map((figures) => figures.rss)),
    edgeMaxAnonMb: Math.max(...edge.map((figures) => figures.anon)),
    bareMaxRssMb: Math.max(...bare.map((figures) => figures.rss)),
    unavailableMs: await unavailableAnswerMs(uuid),
    wrk: `wrk ${WRK_ARGS.join(' ')} -s bench/wrk_pings.lua`,
    nodeOptions: EDGE_NODE_OPTIONS,
  }
}
