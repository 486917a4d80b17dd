import { run } from './setup.js'
import { memoryMb } from './processes.js'

/** How the load generator talks to the server */
export type Client = 'keep-alive' | 'close'

const ALL_CLIENTS: readonly Client[] = ['keep-alive', 'close']

/** The clients a run loads with: all, or those BENCH_CLIENTS names (comma-separated) */
export const CLIENTS: readonly Client[] = pickClients(process.env.BENCH_CLIENTS)

function pickClients(names: string | undefined): readonly Client[] {
  if (!names) {
    return ALL_CLIENTS
  }
  const picked = names.split(',').map((name) => name.trim())
  const unknown = picked.filter((name) => !ALL_CLIENTS.includes(name as Client))
  if (unknown.length > 0) {
    throw new Error(`BENCH_CLIENTS: unknown ${unknown.join(', ')} (${ALL_CLIENTS.join(', ')})`)
  }
  return ALL_CLIENTS.filter((client) => picked.includes(client))
}

/** wrk's command line for a client and a duration, as printed beside the figures */
export function wrkArgs(seconds: number) {
  return ['-t', '2', '-c', '64', '-d', String(seconds), '-s', 'bench/wrk_pings.lua']
}

export function describeClient(client: Client, seconds: number) {
  const command = `wrk ${wrkArgs(seconds).join(' ')}`
  return client === 'close'
    ? `${command} with \`Connection: close\` on every request (one connection per ping, as curl from cron)`
    : `${command} (64 keep-alive connections)`
}

export interface LoadFigures {
  perSecond: number
  requests: number
  non2xx: number
  socketErrors: string
  /** Highest RSS / anonymous memory of `pid` meanwhile, in MB */
  rss: number
  anon: number
}

/**
 * Runs wrk against a port: requests/s, non-2xx answers, and the highest
 * resident memory of `pid` meanwhile.
 */
export async function load(
  port: number,
  uuidFile: string,
  pid: number,
  client: Client,
  seconds: number
): Promise<LoadFigures> {
  let rss = 0
  let anon = 0
  const sampler = setInterval(() => {
    const memory = memoryMb(pid)
    rss = Math.max(rss, memory.rss)
    anon = Math.max(anon, memory.anon)
  }, 100)
  const output = await run('wrk', [...wrkArgs(seconds), `http://127.0.0.1:${port}`], {
    ...process.env,
    NGIP_UUIDS: uuidFile,
    NGIP_CLOSE: client === 'close' ? '1' : '0',
  }).finally(() => clearInterval(sampler))
  for (const line of output.split('\n').filter((text) => text.startsWith('answer '))) {
    console.log(`bench: ${line}`)
  }
  return {
    perSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0),
    requests: Number(/(\d+) requests in/.exec(output)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: /Socket errors: (.*)/.exec(output)?.[1] ?? 'none',
    rss,
    anon,
  }
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]
