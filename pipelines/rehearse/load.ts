import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { SmokeTarget } from '../config.ts'
import type { DockerPort } from '../lib/docker_port.ts'
import { Client, makeToken } from '../steps/smoke.ts'
import { DB_NAME, DB_USER } from '../lib/stack.ts'
import type { LoadResult } from './ping_load.ts'

// Plain Node (it strips the types itself): one process, so SIGTERM reaches the load directly.
const MAIN = fileURLToPath(new URL('load_main.ts', import.meta.url))

/** Tokens the load spreads over, so that none reaches PING_LOG_LIMIT (1000) and is pruned. */
const TOKENS = 100

/** A steady ping load against an environment, from a process of its own. */
export class PingLoad {
  #child?: ChildProcess
  #out = ''
  #stopped?: Promise<LoadResult>
  tokens: string[] = []

  constructor(
    readonly target: SmokeTarget,
    readonly rate: number,
    readonly docker: DockerPort,
    /** The environment's PostgreSQL container. */
    readonly postgres: string
  ) {}

  /** The Tokens the load pings, made through the API. */
  async prepare() {
    const client = new Client(this.target)
    for (let i = 0; i < TOKENS; i++) {
      this.tokens.push(await makeToken(client, `rehearsal load ${i}`))
    }
  }

  start() {
    const urls = this.tokens.map((id) => `${this.target.pingUrl}/ping/${id}`)
    this.#child = spawn(process.execPath, [MAIN, String(this.rate), ...urls], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    this.#child.stdout!.on('data', (chunk) => (this.#out += chunk))
  }

  /** Stops the load and returns what it counted (once; later calls return the same). */
  async stop(): Promise<LoadResult> {
    this.#stopped ??= this.#stop()
    return this.#stopped
  }

  async #stop(): Promise<LoadResult> {
    const child = this.#child
    if (!child) {
      return {
        sent: 0,
        ok: 0,
        failed: 0,
        retried: 0,
        errors: ['the load never started'],
        accepted: [],
        unanswered: [],
      }
    }
    const closed = new Promise<string>((resolve) =>
      child.on('close', (code, signal) => resolve(`code ${code}, signal ${signal}`))
    )
    child.kill('SIGTERM')
    const how = await closed
    const last = this.#out.trim().split('\n').pop()
    if (!last) {
      throw new Error(`the load process ended (${how}) without its result`)
    }
    return JSON.parse(last) as LoadResult
  }

  /**
   * The load's sequence numbers stored as Pings, read in the environment's
   * PostgreSQL itself (the API would rate-limit this many pages).
   */
  async stored(): Promise<number[]> {
    const sql = `SELECT convert_from(body, 'UTF8') FROM pings WHERE token_id IN (SELECT id FROM tokens WHERE name LIKE 'rehearsal load %') AND body IS NOT NULL`
    const result = await this.docker.exec(this.postgres, [
      'psql',
      '-U',
      DB_USER,
      '-d',
      DB_NAME,
      '-At',
      '-c',
      sql,
    ])
    if (result.exitCode !== 0) {
      throw new Error(
        `psql in ${this.postgres} exited ${result.exitCode}: ${result.output.slice(0, 200)}`
      )
    }
    return [...result.output.matchAll(/^load seq=(\d+)$/gm)].map((match) => Number(match[1]))
  }

  /**
   * Waits until every accepted ping is stored (the worker drains the stream
   * behind the answers), or the time is up, and counts what was stored.
   */
  async verify(result: LoadResult, timeoutMs = 120_000): Promise<StoredCount> {
    const deadline = Date.now() + timeoutMs
    let count: StoredCount
    do {
      count = countStored(result, await this.stored())
      if (count.lost === 0) {
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 2000))
    } while (Date.now() < deadline)
    return count
  }
}

export interface StoredCount {
  stored: number
  /** Accepted (answered OK) and not stored. */
  lost: number
  /** Stored more than once though every try was answered: the platform's fault. */
  twice: number
  /**
   * Stored more than once after a try that got no answer at all (a timeout, a
   * dropped connection): the client retried a ping that had been stored, as
   * curl does; no server can tell the retry from a new ping.
   */
  twiceAfterNoAnswer: number
}

/** The load's pings as stored (their sequence numbers, one per stored Ping) against its answers. */
export function countStored(result: LoadResult, stored: number[]): StoredCount {
  const counts = new Map<number, number>()
  stored.forEach((seq) => counts.set(seq, (counts.get(seq) ?? 0) + 1))
  const unanswered = new Set(result.unanswered)
  const lost = result.accepted.filter((seq) => !counts.has(seq)).length
  const repeated = [...counts].filter(([, count]) => count > 1).map(([seq]) => seq)
  const twiceAfterNoAnswer = repeated.filter((seq) => unanswered.has(seq)).length
  return {
    stored: stored.length,
    lost,
    twice: repeated.length - twiceAfterNoAnswer,
    twiceAfterNoAnswer,
  }
}
