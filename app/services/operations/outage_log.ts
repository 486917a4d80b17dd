import {
  describeFault,
  unreachable,
  type Fault,
  type FaultTargets,
  type Service,
} from '#lib/faults'

export interface OutageLogger {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

interface Down {
  since: number
  probing?: NodeJS.Timeout
}

/**
 * Tells the log about a database or Redis going away in one line, and in one
 * more when it is back, however often the loops around retry meanwhile. A
 * fault of a setting that cannot work is handed to `onFatal` (the role
 * stops). Errors that are no ordinary fault are logged as they come.
 */
export class OutageLog {
  #down = new Map<Service, Down>()
  #probes = new Map<Service, () => Promise<unknown>>()
  /** A setting that cannot work was reported: the role is stopping */
  #fatal = false

  constructor(
    private logger: OutageLogger,
    private targets: FaultTargets,
    private onFatal: (fault: Fault) => void,
    private probeEveryMs = 1000,
    private now = Date.now
  ) {}

  /** How to check that a service is back (polled while it is away). */
  probe(service: Service, check: () => Promise<unknown>) {
    this.#probes.set(service, check)
    return this
  }

  isDown(service: Service) {
    return this.#down.has(service)
  }

  /**
   * Reports an error met by `what` (e.g. "ingest"); `service` when the
   * caller knows whom it was talking to. Returns its fault, if it is an
   * ordinary one.
   */
  report(error: unknown, what: string, service?: Service): Fault | null {
    const fault =
      describeFault(error, this.targets) ??
      (service ? unreachable(service, this.targets, (error as Error)?.message ?? '') : null)
    if (!fault) {
      this.logger.error(`${what}: ${(error as Error)?.message ?? String(error)}`)
      return null
    }
    if (fault.fatal) {
      // Once: tasks that meet the same setting while the role stops add nothing.
      if (!this.#fatal) {
        this.#fatal = true
        this.logger.error(fault.line)
        this.onFatal(fault)
      }
      return fault
    }
    if (fault.service && !this.#down.has(fault.service)) {
      this.logger.warn(fault.line)
      this.#down.set(fault.service, { since: this.now() })
      this.#startProbe(fault.service)
    }
    return fault
  }

  /** The service answers again: one line if it was away. */
  up(service: Service) {
    const down = this.#down.get(service)
    if (!down) {
      return
    }
    clearTimeout(down.probing)
    this.#down.delete(service)
    const seconds = Math.round((this.now() - down.since) / 1000)
    this.logger.info(`${service} is back (away ${seconds} s)`)
  }

  stop() {
    for (const down of this.#down.values()) {
      clearTimeout(down.probing)
    }
  }

  #startProbe(service: Service) {
    const check = this.#probes.get(service)
    const down = this.#down.get(service)
    if (!check || !down) {
      return
    }
    down.probing = setTimeout(async () => {
      const ok = await check().then(
        () => true,
        (error) => {
          // A fatal answer (the database was dropped meanwhile) stops the role.
          const fault = describeFault(error, this.targets)
          if (fault?.fatal) {
            this.report(error, `${service} check`)
          }
          return false
        }
      )
      if (ok) {
        this.up(service)
      } else if (this.#down.get(service) === down) {
        this.#startProbe(service)
      }
    }, this.probeEveryMs)
    down.probing.unref()
  }
}
