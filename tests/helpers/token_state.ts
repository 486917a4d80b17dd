import type { TokenState } from '#models/token_state'

/**
 * A Token's state for the status rules' unit tests: a new simple Token
 * (timeout 1 h, grace 10 min) unless overridden.
 */
export function tokenState(overrides: Partial<TokenState> = {}): TokenState {
  return {
    kind: 'simple',
    timeout: 3600,
    grace: 600,
    schedule: '* * * * *',
    tz: 'UTC',
    status: 'new',
    manualResume: false,
    nPings: 0,
    lastPingAt: null,
    lastDurationMs: null,
    lastStartAt: null,
    lastStartRid: null,
    alertAfter: null,
    snoozeUntil: null,
    maintenanceSchedule: '',
    maintenanceMinutes: 0,
    maintenanceTz: 'UTC',
    quietUntil: null,
    maxRuntime: null,
    minInterval: null,
    minDuration: null,
    failThreshold: 1,
    consecutiveFails: 0,
    methods: '',
    filterSubject: false,
    filterBody: false,
    startKw: '',
    successKw: '',
    failureKw: '',
    ...overrides,
  }
}
