import { request } from 'node:https'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * Lambda hook of a web deploy, run by ECS once test traffic reaches green
 * (POST_TEST_TRAFFIC_SHIFT): green must answer its readiness check (database
 * and Redis reachable) through the test listener rule before any production
 * request goes to it. FAILED makes ECS roll the deploy back.
 */
export interface GreenProbe {
  /** Where to connect: the load balancer's DNS name. */
  host: string
  port: number
  /** The app's host name: SNI, certificate check and Host header. */
  serverName: string
  path: string
  /** The header that routes a request to the test listener rule. */
  header: { name: string; value: string }
  /** Extra trusted CA (PEM), for tests only. */
  ca?: string
  timeoutMs: number
}

export interface ProbeResult {
  ok: boolean
  detail: string
}

/** One GET through the test listener rule; ok on a 200. */
export function probeGreen(probe: GreenProbe): Promise<ProbeResult> {
  const url = `https://${probe.serverName}${probe.path}`
  return new Promise((resolve) => {
    const req = request(
      {
        host: probe.host,
        port: probe.port,
        servername: probe.serverName,
        path: probe.path,
        ca: probe.ca,
        headers: { host: probe.serverName, [probe.header.name]: probe.header.value },
        timeout: probe.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8').slice(0, 200)
          resolve({
            ok: res.statusCode === 200,
            detail: `${url} answered ${res.statusCode} ${body}`,
          })
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error(`no answer within ${probe.timeoutMs} ms`)))
    req.on('error', (error) => resolve({ ok: false, detail: `${url}: ${error.message}` }))
    req.end()
  })
}

/**
 * Probes until green answers or `budgetMs` runs out (new tasks may still be
 * warming their connections when test traffic arrives).
 */
export async function checkGreen(probe: GreenProbe, budgetMs: number, pauseMs = 5000) {
  const deadline = Date.now() + budgetMs
  let result = await probeGreen(probe)
  while (!result.ok && Date.now() + pauseMs < deadline) {
    console.log(`green check: ${result.detail}; trying again`)
    await sleep(pauseMs)
    result = await probeGreen(probe)
  }
  return result
}

/** The probe as the construct configures it, from the function's environment. */
export function probeFromEnv(env: NodeJS.ProcessEnv): GreenProbe {
  const [name, value] = (env.GREEN_CHECK_HEADER ?? '').split(':').map((part) => part.trim())
  if (!env.GREEN_CHECK_HOST || !env.GREEN_CHECK_SERVER_NAME || !name || !value) {
    throw new Error('GREEN_CHECK_HOST, GREEN_CHECK_SERVER_NAME and GREEN_CHECK_HEADER are required')
  }
  return {
    host: env.GREEN_CHECK_HOST,
    port: 443,
    serverName: env.GREEN_CHECK_SERVER_NAME,
    path: env.GREEN_CHECK_PATH ?? '/health/ready',
    header: { name, value },
    timeoutMs: 5000,
  }
}

/** What ECS reads back: SUCCEEDED lets the deploy go on, FAILED rolls it back. */
export async function greenHookStatus(probe: GreenProbe, budgetMs: number, pauseMs?: number) {
  const result = await checkGreen(probe, budgetMs, pauseMs)
  console.log(`green check: ${result.detail}`)
  return { hookStatus: result.ok ? 'SUCCEEDED' : 'FAILED' } as const
}

export async function handler() {
  const budgetMs = Number(process.env.GREEN_CHECK_BUDGET_MS ?? 60_000)
  return greenHookStatus(probeFromEnv(process.env), budgetMs)
}
