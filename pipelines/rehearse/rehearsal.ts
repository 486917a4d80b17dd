import type { Agent } from '../agent/agent.ts'
import { envNames } from '../host/names.ts'
import type { PipelineConfig } from '../config.ts'
import { Activity } from '../lib/activity.ts'
import type { DeployTarget } from '../lib/target.ts'
import { planTools, type Tools } from '../lib/tools.ts'
import { idleCheck } from '../steps/idle_check.ts'
import { showLogs } from '../steps/stack_run.ts'
import { PingLoad } from './load.ts'
import { RETRIES, withRetries } from './ping_load.ts'
import { agentRun, type Phase, phaseNote, stageResults } from './phases.ts'
import type { RehearsalReport } from './rehearse.ts'
import type { RehearsalSetting } from './setting.ts'
import { BAD_MIGRATION, type Workspace } from './workspace.ts'

export interface RehearsalParts {
  workspace: Workspace
  agent: Agent
  target: DeployTarget
  setting: RehearsalSetting
  /** The agent's checkout, where `pnpm pipeline rollback` runs. */
  checkout: string
  config: PipelineConfig
}

const LOAD_RATE = 200

/**
 * A GET as `curl -m 10 --retry 5` makes it: tried again after a 5xx, a 408 or
 * 429, or no answer (1 s, doubling). Returns each try's status (0: no answer).
 */
export function askWithRetries(url: string, delays = RETRIES): Promise<number[]> {
  const status = () =>
    fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
      async (answer) => (await answer.arrayBuffer(), answer.status),
      () => 0
    )
  const transient = (tried: number) => tried === 0 || tried >= 500 || tried === 408 || tried === 429
  return withRetries(status, transient, delays)
}

/** The loop played through, phase by phase; each phase is a row of the report. */
export class Rehearsal {
  readonly phases: Phase[] = []
  readonly figures: Record<string, number | string> = {}
  #load?: PingLoad

  constructor(
    readonly tools: Tools,
    readonly parts: RehearsalParts
  ) {}

  async #phase(what: string, body: () => Promise<string>) {
    const started = Date.now()
    this.tools.log.heading(`rehearsal: ${what}`)
    try {
      const note = await body()
      this.phases.push({ what, result: 'passed', ms: Date.now() - started, note })
      return true
    } catch (error) {
      const note = (error as Error).message.split('\n')[0]
      this.phases.push({ what, result: 'failed', ms: Date.now() - started, note })
      this.tools.log.line(`rehearsal: ${what} failed: ${note}`)
      await this.#showProdLogs()
      return false
    }
  }

  async #run(
    message: string,
    files: Record<string, string>,
    expect: Record<string, string>,
    onProd: () => void = () => {}
  ) {
    const { workspace, agent } = this.parts
    const pushed = await workspace.push({ message, files })
    const watch: Array<[RegExp, () => void]> = [
      [/^prod passed in /m, () => {}],
      // From the moment prod's new colour is up: its smoke test, the switch, the standby.
      [/^host: \S+-prod-(blue|green) is up in /m, onProd],
    ]
    const run = await agentRun(agent, pushed.commit, watch)
    const results = stageResults(run.log)
    for (const [stage, result] of Object.entries(expect)) {
      if (results[stage] !== result) {
        this.tools.log.line(`--- the run's log, last 60 lines (${run.record.log})`)
        this.tools.log.write(`${run.log.split('\n').slice(-60).join('\n')}\n`)
        throw new Error(
          `${stage} ${results[stage] ?? 'missing'}, expected ${result}; ${phaseNote(run)}`
        )
      }
    }
    // When prod's last line was not caught as it was written: the run's end, less cleanup.
    const cleanupS = Number(/^cleanup\s+passed\s+([\d.]+) s/m.exec(run.log)?.[1] ?? 0)
    const runEnd = Date.parse(run.record.started) + (run.record.seconds - cleanupS) * 1000
    const prodAt = run.seen.get(watch[0][0]) ?? runEnd
    return { run, pushed, prodMs: prodAt - pushed.at }
  }

  /** What prod's proxy and ping edges said last: why a ping was not answered OK. */
  async #showProdLogs() {
    const names = envNames(this.parts.setting.project, 'prod')
    const edges = (['blue', 'green'] as const).map((colour) => names.role(colour, 'ping'))
    await showLogs(this.tools, [names.proxy, ...edges])
  }

  /** prod answers: its health and a ping through the proxy, each asked as `curl --retry 5` asks. */
  async #prodAnswers() {
    const prod = await this.parts.target.smokeTarget(this.tools, 'prod')
    const health = await askWithRetries(`${prod.webUrl}/health/live`)
    const token = this.#load?.tokens[0]
    const ping = token ? await askWithRetries(`${prod.pingUrl}/ping/${token}`) : undefined
    const said = `health ${health.join('→')}${ping ? `, ping ${ping.join('→')}` : ''}`
    if (health.at(-1) !== 200 || (ping && ping.at(-1) !== 200)) {
      throw new Error(`prod answered ${said}`)
    }
    return `prod answers (${said})`
  }

  async play(): Promise<RehearsalReport> {
    let passed: boolean
    try {
      passed = await this.#steps()
    } finally {
      // A phase that failed after the load started leaves it running: it
      // would keep this process, and the rehearsal, from ever ending.
      await this.#load?.stop().catch(() => undefined)
    }
    await this.#park()
    return {
      passed: passed && this.phases.every((phase) => phase.result === 'passed'),
      phases: this.phases.map(({ ms, ...p }) => ({ ...p, seconds: Math.round(ms / 100) / 10 })),
      figures: this.figures,
    }
  }

  async #steps(): Promise<boolean> {
    const all = { 'build': 'passed', 'test': 'passed', 'docker-test': 'passed', 'push': 'passed' }
    const deployed = { ...all, 'stage': 'passed', 'stage-test': 'passed', 'prod': 'passed' }
    return (
      (await this.#phase('push 1 to main: the first deploy, stage then prod', async () => {
        const { run } = await this.#run('rehearsal: first push', {}, deployed)
        return phaseNote(run)
      })) &&
      (await this.#phase('Tokens in prod for a steady ping load', async () => {
        const prod = await this.parts.target.smokeTarget(this.tools, 'prod')
        const { postgres } = envNames(this.parts.setting.project, 'prod')
        this.#load = new PingLoad(prod, LOAD_RATE, this.tools.docker, postgres)
        await this.#load.prepare()
        return `${this.#load.tokens.length} Tokens, pinged from the moment the new colour is up, one connection a ping`
      })) &&
      (await this.#phase(
        `push 2 to main: prod switches colour under ${LOAD_RATE} pings/s`,
        async () => {
          const { run, prodMs } = await this.#run('rehearsal: second push', {}, deployed, () =>
            this.#load!.start()
          )
          this.figures['push to prod (s)'] = Math.round(prodMs / 100) / 10
          return phaseNote(run)
        }
      )) &&
      (await this.#phase('pnpm pipeline rollback under load', () => this.#rollback())) &&
      (await this.#phase('the load: every ping accepted, every accepted ping stored once', () =>
        this.#checkLoad()
      )) &&
      (await this.#phase('push 3 to main: a migration that loses data', async () => {
        const { run } = await this.#run('rehearsal: a data migration gone wrong', BAD_MIGRATION, {
          'stage': 'passed',
          'stage-test': 'failed',
          'prod': 'not run',
        })
        return `${phaseNote(run)}; ${await this.#prodAnswers()}`
      }))
    )
  }

  async #rollback() {
    const started = Date.now()
    const $ = this.tools.$({ cwd: this.parts.checkout, env: this.parts.setting.env })
    const done = await $`pnpm pipeline rollback`
    const output = done.stdout
    const ms = Date.now() - started
    const switched = /traffic went back to \w+ after ([\d.]+) s/.exec(output)?.[1]
    this.figures['rollback: traffic switched back (s)'] = switched ? Number(switched) : 'n/a'
    this.figures['rollback: whole command (s)'] = Math.round(ms / 100) / 10
    return `${await this.#prodAnswers()}; switched in ${switched ?? '?'} s`
  }

  async #checkLoad() {
    const result = await this.#load!.stop()
    const stored = await this.#load!.verify(result)
    Object.assign(this.figures, {
      'load: pings sent': result.sent,
      'load: first answer not OK (retried, as curl --retry does)': result.retried,
      'load: failed even after retries': result.failed,
      'load: accepted but not stored': stored.lost,
      'load: stored twice': stored.twice,
      'load: stored twice after a try with no answer (curl cannot tell)': stored.twiceAfterNoAnswer,
    })
    if (result.retried > 0) {
      this.tools.log.line(`rehearsal: answers retried: ${result.errors.join('; ')}`)
    }
    if (result.failed > 0 || stored.lost > 0 || stored.twice > 0 || result.sent === 0) {
      throw new Error(
        `${result.failed} pings failed after retries (${result.errors.join('; ')}), ${stored.lost} lost, ${stored.twice} twice`
      )
    }
    return `${result.ok} of ${result.sent} answered OK, all stored once`
  }

  /** The host parks when idle: first too soon, then after its idle minutes (a stand-in shutdown). */
  async #park() {
    await this.#phase('the build host parks when idle (shutdown is a stand-in)', async () => {
      const stand = planTools(this.parts.config, this.tools.log)
      const deps = {
        activity: new Activity(this.parts.setting.stateDir),
        clock: Date.now,
        uptime: () => 86_400,
      }
      const idle = { minutes: 1, stopWith: 'shutdown' as const }
      const first = await idleCheck(stand, idle, deps)
      const last = deps.activity.read().last ?? Date.now()
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, last + 61_000 - Date.now())))
      const second = await idleCheck(stand, idle, deps)
      const stopped = stand.plan!.lines.includes('$ shutdown -h now')
      this.figures['idle-check'] = `${first}, then ${second}`
      if (first !== 'recent' || second !== 'stopped' || !stopped) {
        throw new Error(
          `idle-check said ${first}, then ${second}; shutdown ${stopped ? '' : 'not '}called`
        )
      }
      return 'kept up right after the last run, parked 1 min later (shutdown -h now, recorded)'
    })
  }
}
