import { freePort } from '../bin/test_scope.ts'
import { REDIS_CLIENT_KINDS, type RedisClientKind } from '../ping/redis_connection.js'
import { benchEnv } from './setup.js'
import { buildEdge, startServer, stop } from './processes.js'
import { describeClient, load, median, type LoadFigures } from './load.js'
import { downRedisPort, REDIS_DOWN, slowest503, type RedisDown } from './redis_down.js'

export interface EdgeClientFigures {
  client: RedisClientKind
  perSecond: number
  /** Median of the rounds' edge / bare ratios */
  ratio: number
  rounds: number[]
  non2xx: number
  maxRssMb: number
  maxAnonMb: number
  /** Slowest 503 answer with Redis down, in ms, by the way it is down */
  unavailableMs: Record<RedisDown, number>
}

export interface EdgeFigures {
  barePerSecond: number
  bareMaxRssMb: number
  /** The default client first */
  clients: EdgeClientFigures[]
  conditions: string
}

const SECONDS = Number(process.env.BENCH_EDGE_SECONDS ?? 3)
const ROUNDS = Number(process.env.BENCH_EDGE_ROUNDS ?? 5)
/** The edge's V8 settings, as `pnpm edge` and the image start it */
export const EDGE_NODE_OPTIONS =
  process.env.BENCH_EDGE_NODE_OPTIONS ??
  '--max-semi-space-size=1 --single-threaded --max-old-space-size=40'

/** The compiled edge (as in the image) on a free port; resolves once it listens. */
export async function startEdge(env: Record<string, string> = {}) {
  const port = await freePort()
  const child = await startServer(
    [...EDGE_NODE_OPTIONS.split(' '), await buildEdge()],
    benchEnv({ PING_PORT: String(port), PING_HOST: '127.0.0.1', ...env }),
    'ping edge listening'
  )
  return { child, port, url: `http://127.0.0.1:${port}` }
}

/** Pings the edge under load for a while: the stream as production fills it. */
export async function fillStream(uuidFile: string, client: RedisClientKind = 'builtin') {
  const edge = await startEdge({ PING_REDIS_CLIENT: client })
  const measured = await load(edge.port, uuidFile, edge.child.pid!, 'keep-alive', SECONDS)
  await stop(edge.child)
  return measured
}

/** How long an edge with this client takes to answer 503 with Redis down. */
export async function unavailableAnswerMs(uuid: string, client: RedisClientKind, down: RedisDown) {
  const redis = await downRedisPort(down)
  const edge = await startEdge({ REDIS_PORT: String(redis.port), PING_REDIS_CLIENT: client })
  try {
    redis.stall()
    return await slowest503(edge.url, uuid)
  } finally {
    await stop(edge.child)
    await redis.close()
  }
}

/**
 * The edge (rate limit off, valid Tokens, pings enqueued for real), once per
 * Redis client, against a bare node:http "OK" server: same Node, same wrk
 * settings, in alternating rounds (the order turns each round) so that load
 * from elsewhere hits all alike.
 */
export async function edgeBench(uuidFile: string, uuid: string): Promise<EdgeFigures> {
  const bare: LoadFigures[] = []
  const edges = new Map<RedisClientKind, LoadFigures[]>(
    REDIS_CLIENT_KINDS.map((kind) => [kind, []])
  )
  const runs = ['bare', ...REDIS_CLIENT_KINDS] as const
  for (let round = 0; round < ROUNDS; round++) {
    const order = runs.map((_, i) => runs[(i + round) % runs.length])
    for (const what of order) {
      if (what === 'bare') {
        const port = await freePort()
        const server = await startServer(
          ['bench/bare_server.js'],
          { ...process.env, PORT: String(port) },
          'bare server'
        )
        bare[round] = await load(port, uuidFile, server.pid!, 'keep-alive', SECONDS)
        await stop(server)
      } else {
        edges.get(what)![round] = await fillStream(uuidFile, what)
      }
    }
  }
  const clients: EdgeClientFigures[] = []
  for (const [client, figures] of edges) {
    const rounds = figures.map((edge, i) => edge.perSecond / bare[i].perSecond)
    const unavailableMs = {} as Record<RedisDown, number>
    for (const down of REDIS_DOWN) {
      unavailableMs[down] = await unavailableAnswerMs(uuid, client, down)
    }
    clients.push({
      client,
      perSecond: median(figures.map((edge) => edge.perSecond)),
      ratio: median(rounds),
      rounds,
      non2xx: figures.reduce((sum, edge) => sum + edge.non2xx, 0),
      maxRssMb: Math.max(...figures.map((edge) => edge.rss)),
      maxAnonMb: Math.max(...figures.map((edge) => edge.anon)),
      unavailableMs,
    })
  }
  return {
    barePerSecond: median(bare.map((figures) => figures.perSecond)),
    bareMaxRssMb: Math.max(...bare.map((figures) => figures.rss)),
    clients,
    conditions: `${describeClient('keep-alive', SECONDS)} against the edge (ping/main.ts compiled to JavaScript as in the image, \`node ${EDGE_NODE_OPTIONS}\`, no worker running) once per Redis client (PING_REDIS_CLIENT=${REDIS_CLIENT_KINDS.join(', ')}) and against \`bench/bare_server.js\`, in ${ROUNDS} rounds whose order turns each round (median ratio)`,
  }
}
