import { request } from 'node:http'

export interface LoadOptions {
  /** Ping URLs (`<PING_URL>/ping/<uuid>`), used round-robin. */
  urls: string[]
  /** Pings a second. */
  rate: number
  signal: AbortSignal
}

export interface LoadResult {
  sent: number
  ok: number
  /** Pings that failed even after curl's retries (`--retry 5`). */
  failed: number
  /** Pings whose first answer was not OK (a 503 tells the client to retry). */
  retried: number
  /** The first few failures, for the report. */
  errors: string[]
  /** The sequence numbers answered OK: each must be stored exactly once. */
  accepted: number[]
  /**
   * The sequence numbers of which a try got no answer at all (timed out, or
   * the connection dropped): the client cannot tell whether that try was
   * stored, so its retry may store the ping a second time, as with curl.
   */
  unanswered: number[]
}

/** One try: the answer's status line, or why there was none. */
interface Try {
  problem?: string
  answered: boolean
}

/** One ping as cron's curl sends it: its own connection, the sequence number as the body. */
function ping(url: string, seq: number): Promise<Try> {
  return new Promise((resolve) => {
    const body = `load seq=${seq}`
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        timeout: 10_000,
        headers: { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = ''
        res.on('data', (chunk) => (text += chunk))
        res.on('end', () =>
          resolve({
            answered: true,
            problem:
              res.statusCode === 200 && text === 'OK' ? undefined : `${res.statusCode} ${text}`,
          })
        )
        res.on('error', (error) => resolve({ answered: false, problem: error.message }))
      }
    )
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', (error) => resolve({ answered: false, problem: error.message }))
    req.end(body)
  })
}

/** Delays of `curl --retry 5`: 1 s, doubling. */
export const RETRIES = [1000, 2000, 4000, 8000, 16_000]

/**
 * Tries `send` as `curl --retry` does: again while `again` says so of the
 * last try, after 1 s, then doubling. Returns every try, in order.
 */
export async function withRetries<T>(
  send: () => Promise<T>,
  again: (tried: T) => boolean,
  delays = RETRIES
): Promise<T[]> {
  const tries = [await send()]
  for (const delay of delays) {
    if (!again(tries.at(-1)!)) {
      break
    }
    await new Promise((resolve) => setTimeout(resolve, delay))
    tries.push(await send())
  }
  return tries
}

/** One ping as `curl -fsS -m 10 --retry 5` sends it: its first problem, its last, whether a try went unanswered. */
export async function pingWithRetries(
  url: string,
  seq: number,
  send: (url: string, seq: number) => Promise<Try> = ping,
  delays = RETRIES
) {
  const tries = await withRetries(
    () => send(url, seq),
    (tried) => tried.problem !== undefined,
    delays
  )
  return {
    first: tries[0].problem,
    last: tries.at(-1)!.problem,
    unanswered: tries.some((tried) => !tried.answered),
  }
}

/**
 * A steady ping load until the signal aborts: `rate` pings a second, each
 * sent as cron's curl sends it and counted by its answers. Waits for the
 * pings in flight (retries included) before it returns.
 */
export async function pingLoad(options: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = {
    sent: 0,
    ok: 0,
    failed: 0,
    retried: 0,
    errors: [],
    accepted: [],
    unanswered: [],
  }
  const inFlight = new Set<Promise<void>>()
  const started = Date.now()
  while (!options.signal.aborted) {
    const due = Math.floor(((Date.now() - started) * options.rate) / 1000)
    while (result.sent < due) {
      const seq = result.sent++
      const url = options.urls[seq % options.urls.length]
      const done = pingWithRetries(url, seq).then(({ first, last, unanswered }) => {
        if (unanswered) {
          result.unanswered.push(seq)
        }
        if (first !== undefined) {
          result.retried++
          if (result.errors.length < 5) {
            result.errors.push(`#${seq} at ${Date.now() - started} ms: ${first}`)
          }
        }
        if (last === undefined) {
          result.ok++
          result.accepted.push(seq)
        } else {
          result.failed++
        }
      })
      inFlight.add(done)
      void done.finally(() => inFlight.delete(done))
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  await Promise.all(inFlight)
  return result
}
