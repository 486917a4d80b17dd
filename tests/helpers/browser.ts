import { DateTime } from 'luxon'
import type { BrowserContext, Page } from 'playwright'
import type User from '#models/user'
import Ping from '#models/ping'
import type Token from '#models/token'
import PingService from '#services/tokens/ping_service'
import { makeToken } from '#tests/helpers/factories'

/**
 * Every URL the pages of this context requested from a host other than the
 * test server's; the admin UI must never reach off the machine.
 */
export function watchOffMachineRequests(context: BrowserContext) {
  const offMachine: string[] = []
  context.on('request', (request) => {
    const { hostname, protocol } = new URL(request.url())
    if (protocol !== 'data:' && protocol !== 'blob:' && hostname !== '127.0.0.1') {
      offMachine.push(request.url())
    }
  })
  return offMachine
}

/**
 * Records a Ping through the same rules as one from the edge.
 */
export function recordPing(
  token: Token,
  input: { kind?: 'success' | 'start' | 'fail' | 'log'; body?: string; exit_status?: number } = {}
) {
  return PingService.record(
    token,
    { token: token.uuid, ...input },
    { method: 'POST', remoteAddr: '203.0.113.7', userAgent: 'curl/8.5.0' }
  )
}

/**
 * A Token with pings spread over the last `hours`, runs of varying length
 * and a failure, so charts and logs have something to show.
 */
export async function makeBusyToken(user: User, name = 'nightly-backup', hours = 24) {
  const token = await makeToken(user, { name, tags: ['prod', 'db'], timeout: 3600, grace: 600 })
  const now = Date.now()
  const rows = []
  for (let i = hours; i >= 1; i--) {
    const at = now - i * 3600 * 1000
    const failed = i === 7
    rows.push(
      { kind: 'start' as const, at, durationMs: null, exitStatus: null },
      {
        kind: failed ? ('fail' as const) : ('success' as const),
        at: at + 40_000 + ((i * 7919) % 50) * 1000,
        durationMs: 40_000 + ((i * 7919) % 50) * 1000,
        exitStatus: failed ? 1 : 0,
      }
    )
  }
  await Ping.createMany(
    rows.map((row) => ({
      tokenId: token.id,
      kind: row.kind,
      createdAt: DateTime.fromMillis(row.at),
      method: 'GET',
      remoteAddr: '203.0.113.7',
      userAgent: 'curl/8.5.0',
      exitStatus: row.exitStatus,
      rid: null,
      durationMs: row.durationMs,
      body: row.kind === 'fail' ? Buffer.from('pg_dump: error: connection refused') : null,
    }))
  )
  token.nPings = rows.length
  await token.save()
  await recordPing(token, { kind: 'success', body: 'backup done: 1.2 GB' })
  return token
}

/**
 * Waits until the page's Alpine components are live. A function, not a string: Playwright
 * evaluates a string predicate with eval() in the page, which the UI's CSP (no
 * 'unsafe-eval') refuses whenever the first check fails and polling starts (a loaded machine).
 */
export async function alpineReady(page: Page) {
  await page.waitForFunction(
    () => (globalThis as unknown as { Alpine?: unknown }).Alpine !== undefined
  )
}

/**
 * Waits until an element matching `selector` contains `text`, failing after
 * a few seconds. (Japa's assertTextContains lets a missing element pass.)
 */
export async function seeText(page: Page, selector: string, text: string) {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: 5000 })
}

/**
 * Fails unless no element matching `selector` contains `text`.
 */
export async function dontSeeText(page: Page, selector: string, text: string) {
  const count = await page.locator(selector).filter({ hasText: text }).count()
  if (count > 0) {
    throw new Error(`expected no ${selector} to contain "${text}", found ${count}`)
  }
}

/**
 * Waits until `selector` matches exactly `count` elements.
 */
export async function waitForCount(page: Page, selector: string, count: number) {
  const deadline = Date.now() + 5000
  let seen = await page.locator(selector).count()
  while (seen !== count) {
    if (Date.now() > deadline) {
      throw new Error(`expected ${count} of ${selector}, found ${seen}`)
    }
    await page.waitForTimeout(50)
    seen = await page.locator(selector).count()
  }
}

export async function readClipboard(page: Page) {
  return String(await page.evaluate('navigator.clipboard.readText()'))
}

/**
 * Every Content-Security-Policy violation, script error (Alpine's expression
 * errors among them) and console error on the pages of this context, one line
 * each. Violations come from the page's own `securitypolicyviolation` event as
 * well as from the console, so none goes unseen.
 */
export async function watchPageProblems(context: BrowserContext) {
  const problems: string[] = []
  await context.exposeBinding('reportPolicyViolation', ({ page }, text: string) => {
    problems.push(`${page.url()}: ${text}`)
  })
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
    window.reportPolicyViolation(
      'CSP violation: ' + event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') +
        ' at ' + event.sourceFile + ':' + event.lineNumber
    )
  })`)
  context.on('console', (message) => {
    const text = message.text()
    // A page that answers 404 or 500 on purpose logs its own status
    const ownStatus = message.location().url === message.page()?.url()
    if (ownStatus && text.startsWith('Failed to load resource')) {
      return
    }
    if (message.type() === 'error' || /Alpine|Content Security Policy/i.test(text)) {
      problems.push(`${message.page()?.url()}: console ${message.type()}: ${text}`)
    }
  })
  context.on('weberror', (error) => {
    problems.push(`${error.page()?.url()}: ${error.error().message}`)
  })
  return problems
}
