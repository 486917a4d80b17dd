import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { SmokeTarget } from '../config.ts'
import type { LoadResult } from './ping_load.ts'

const TSX = createRequire(import.meta.url).resolve('tsx/cli')
const MAIN = fileURLToPath(new URL('load_main.ts', import.meta.url))

/** Tokens the load spreads over, so that none reaches PING_LOG_LIMIT (1000) and is pruned. */
const TOKENS = 40

async function api(target: SmokeTarget, path: string, body?: unknown) {
  const answer = await fetch(`${target.webUrl}/api/v1${path}`, {
    method: body ? 'POST' : 'GET',
    body: body ? JSON.stringify(body) : undefined,
    headers: { 'authorization': `Bearer ${target.apiKey}`, 'content-type': 'application/json' },
  })
  const text = await answer.text()
  if (!answer.ok) {
    throw new Error(`${path} answered ${answer.status}: ${text.slice(0, 200)}`)
  }
  return JSON.parse(text)
}

/** A steady ping load against an environment, from a process of its own. */
export class PingLoad {
  #child?: ChildProcess
  #out = ''
  tokens: string[] = []

  constructor(
    readonly target: SmokeTarget,
    readonly rate: number
  ) {}

  async start() {
    for (let i = 0; i < TOKENS; i++) {
      const created = await api(this.target, '/tokens', { name: `rehearsal load ${i}` })
      this.tokens.push(created.data.id)
    }
    const urls = this.tokens.map((id) => `${this.target.pingUrl}/ping/${id}`)
    this.#child = spawn(process.execPath, [TSX, MAIN, String(this.rate), ...urls], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    this.#child.stdout!.on('data', (chunk) => (this.#out += chunk))
  }

  /** Stops the load and returns what it counted. */
  async stop(): Promise<LoadResult> {
    const child = this.#child!
    const closed = new Promise((resolve) => child.on('close', resolve))
    child.kill('SIGTERM')
    await closed
    return JSON.parse(this.#out.trim().split('\n').pop() ?? '{}') as LoadResult
  }

  /** The load's sequence numbers stored as Pings, read back through the API. */
  async stored(): Promise<number[]> {
    const seqs: number[] = []
    for (const id of this.tokens) {
      let cursor: string | undefined
      do {
        const page = await api(
          this.target,
          `/tokens/${id}/pings?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
        )
        for (const ping of page.data as Array<{ body: string | null }>) {
          const match = /^load seq=(\d+)$/.exec(ping.body ?? '')
          if (match) {
            seqs.push(Number(match[1]))
          }
        }
        cursor = page.meta?.next_cursor ?? undefined
      } while (cursor)
    }
    return seqs
  }

  /**
   * Waits until every accepted ping is stored (the worker drains the stream
   * behind the answers) and returns how many are missing and how many twice.
   */
  async verify(result: LoadResult, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs
    let stored: number[] = []
    do {
      stored = await this.stored()
      if (stored.length >= result.ok) {
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 2000))
    } while (Date.now() < deadline)
    const counts = new Map<number, number>()
    stored.forEach((seq) => counts.set(seq, (counts.get(seq) ?? 0) + 1))
    const lost = result.accepted.filter((seq) => !counts.has(seq)).length
    const twice = [...counts.values()].filter((count) => count > 1).length
    return { stored: stored.length, lost, twice }
  }
}
