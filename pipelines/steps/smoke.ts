import type { SmokeTarget } from '../config.ts'
import type { Log } from '../lib/log.ts'

/**
 * The smoke test of a running ngip, local containers or the stage: the web is
 * ready, the sign-in page answers, and a ping to a Token made through the API
 * shows up in that Token's pings. Throws one line saying what did not work.
 */
export interface SmokeOptions {
  /** How long each wait may take. */
  timeoutMs?: number
  /**
   * stage-test keeps a Token named "smoke keeper" in the environment: `make`
   * it on the first pass, then `check` it is still there, so a deploy (a
   * migration) that loses data fails here, before it reaches prod.
   */
  keeper?: 'make' | 'check'
}

/** Calls `probe` until it returns a value; its last error explains a timeout. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  while (Date.now() < deadline) {
    try {
      const value = await probe()
      if (value !== undefined) {
        return value
      }
    } catch (error) {
      last = (error as Error).message
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`${what} within ${timeoutMs / 1000} s (last: ${last})`)
}

/** The REST API of a running ngip, with its API key. */
export class Client {
  readonly web: string
  readonly #apiKey: string

  constructor(target: SmokeTarget) {
    this.web = target.webUrl.replace(/\/+$/, '')
    this.#apiKey = target.apiKey
  }

  async api(path: string, body?: unknown) {
    const response = await fetch(`${this.web}/api/v1${path}`, {
      method: body ? 'POST' : 'GET',
      body: body ? JSON.stringify(body) : undefined,
      headers: { 'authorization': `Bearer ${this.#apiKey}`, 'content-type': 'application/json' },
    })
    const text = await response.text()
    return { status: response.status, text, json: () => JSON.parse(text) }
  }
}

async function signInPage(client: Client, log: Log) {
  const answer = await fetch(`${client.web}/login`)
  const page = await answer.text()
  if (!answer.ok || !page.includes('name="password"')) {
    throw new Error(`the sign-in page answered ${answer.status} without a password field`)
  }
  log.line(`smoke: ${client.web}/login shows the sign-in form`)
}

/** Makes a Token through the API; returns its id, or throws one line. */
export async function makeToken(client: Client, name: string): Promise<string> {
  const created = await client.api('/tokens', { name })
  if (created.status !== 201) {
    throw new Error(`creating a Token through the API answered ${created.status}: ${created.text}`)
  }
  return created.json().data.id
}

async function createToken(client: Client, log: Log): Promise<string> {
  const id = await makeToken(client, `smoke ${new Date().toISOString()}`)
  log.line(`smoke: created Token ${id} through the API`)
  return id
}

async function pingIt(pingBase: string, token: string, timeoutMs: number, log: Log) {
  const url = `${pingBase.replace(/\/+$/, '')}/ping/${token}`
  await until('the ping edge did not accept a ping', timeoutMs, async () => {
    const answer = await fetch(url, { headers: { 'user-agent': 'ngip-smoke' } })
    const text = await answer.text()
    return answer.status === 200 ? text : Promise.reject(new Error(`${answer.status} ${text}`))
  })
  log.line(`smoke: ${url} answered OK`)
}

const KEEPER = 'smoke keeper'

async function keeper(client: Client, mode: 'make' | 'check', log: Log) {
  const list = await client.api(`/tokens?q=${encodeURIComponent(KEEPER)}&limit=100`)
  const tokens: Array<{ name: string }> = list.status === 200 ? list.json().data : []
  if (tokens.some((token) => token.name === KEEPER)) {
    log.line(`smoke: the Token "${KEEPER}" of an earlier stage-test is still there`)
    return
  }
  if (mode === 'check') {
    throw new Error(
      `the data of earlier deploys is gone: the Token "${KEEPER}" an earlier stage-test made is missing (the Token list answered ${list.status})`
    )
  }
  await makeToken(client, KEEPER)
  log.line(`smoke: made the Token "${KEEPER}" that later stage-tests look for`)
}

export async function smokeTest(target: SmokeTarget, log: Log, options: SmokeOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 60_000
  const client = new Client(target)
  await until('the web was not ready', timeoutMs, async () => {
    const answer = await fetch(`${client.web}/health/ready`)
    return answer.ok ? true : Promise.reject(new Error(`/health/ready answered ${answer.status}`))
  })
  await signInPage(client, log)
  const token = await createToken(client, log)
  if (options.keeper) {
    await keeper(client, options.keeper, log)
  }
  await pingIt(target.pingUrl, token, timeoutMs, log)
  await until('the ping did not show up in the API', timeoutMs, async () => {
    const pings = await client.api(`/tokens/${token}/pings`)
    return pings.status === 200 && pings.json().data?.length > 0 ? true : undefined
  })
  log.line('smoke: the ping is visible in the API')
}
