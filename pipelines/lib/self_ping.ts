import { randomUUID } from 'node:crypto'
import type { Log } from './log.ts'
import type { Plan } from './plan.ts'

/** How long one ping may take, and how often it is tried (as `curl -m 10 --retry 3`). */
const TIMEOUT_MS = 10_000
const TRIES = 3

/**
 * The pipeline watching itself with ngip: with NGIP_PIPELINE_PING_URL set
 * (a ping URL, `<PING_URL>/ping/<uuid>`), a run sends `/start?rid=<id>` when
 * it begins and `/<exit status>?rid=<id>` with its result table when it ends,
 * the same grammar users' cron jobs use. A ping that cannot be sent is
 * reported in one line and never fails the run.
 */
export class SelfPing {
  readonly rid = randomUUID()
  readonly #base: string | undefined
  readonly #log: Log
  readonly #plan: Plan | undefined

  constructor(url: string | undefined, log: Log, plan?: Plan) {
    this.#base = url ? url.replace(/\/+$/, '') : undefined
    this.#log = log
    this.#plan = plan
  }

  start() {
    return this.#send('start')
  }

  /** Ends the run: exit status 0 is success, anything else fail. */
  end(exitStatus: number, body: string) {
    return this.#send(String(Math.min(Math.max(exitStatus, 0), 255)), body)
  }

  async #send(action: string, body?: string) {
    if (!this.#base) {
      return
    }
    const url = `${this.#base}/${action}?rid=${this.rid}`
    if (this.#plan) {
      this.#plan.record(`ping ${body === undefined ? 'GET' : 'POST'} ${url}`)
      return
    }
    let last = ''
    for (let attempt = 1; attempt <= TRIES; attempt++) {
      try {
        const answer = await fetch(url, {
          method: body === undefined ? 'GET' : 'POST',
          body,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'user-agent': 'ngip-pipeline' },
          signal: AbortSignal.timeout(TIMEOUT_MS),
        })
        await answer.text()
        if (answer.ok) {
          return
        }
        last = `${answer.status} ${answer.statusText}`
        if (answer.status < 500 && answer.status !== 429) {
          break
        }
      } catch (error) {
        last = (error as Error).message
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt))
    }
    this.#log.line(`pipeline: could not ping ${this.#log.secrets.mask(url)} (${last})`)
  }
}
