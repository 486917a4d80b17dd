/**
 * Ordinary faults an operator meets (a database or Redis away, a wrong
 * database name, a port taken, a bad setting) told in one line: what is
 * wrong and what to do. Shared by the app's roles, the edge and `pnpm start`.
 */

/** Exit code of a role stopped by a setting that cannot work: not worth a restart (sysexits EX_CONFIG). */
export const EXIT_SETTING = 78

export type Service = 'PostgreSQL' | 'Redis'

export interface Fault {
  /** What is away or refused; null for a fault of the process itself */
  service: Service | null
  /** A setting is wrong: retrying cannot help */
  fatal: boolean
  /** One line: what is wrong and what to do */
  line: string
}

/** Where the roles look for PostgreSQL and Redis, to name them in a line. */
export interface FaultTargets {
  postgres?: { host: string; port: number; database: string; user: string }
  redis?: { host: string; port: number; db: number }
}

interface ErrorLike {
  name?: string
  code?: string
  message?: string
  port?: number
  address?: string
  syscall?: string
  help?: string
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
])

/** PostgreSQL codes of a server that is starting, stopping or gone. */
const PG_AWAY = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006'])

const PG_AWAY_MESSAGES = [
  'Connection terminated',
  'Timeout acquiring a connection',
  'Client was closed',
  'Connection ended unexpectedly',
  // a transaction whose connection dropped under it
  'Transaction query already complete',
]

function pgLine(targets: FaultTargets, reason: string) {
  const pg = targets.postgres
  const where = pg ? ` at ${pg.host}:${pg.port}` : ''
  return `PostgreSQL${where} is unreachable (${reason}); retrying (is it running? DB_HOST, DB_PORT)`
}

function redisLine(targets: FaultTargets, reason: string) {
  const redis = targets.redis
  const where = redis ? ` at ${redis.host}:${redis.port}` : ''
  return `Redis${where} is unreachable (${reason}); retrying (is it running? REDIS_HOST, REDIS_PORT)`
}

function settingLine(error: ErrorLike) {
  const details = (error.help ?? '')
    .split('\n')
    .map((line) => line.replace(/^\s*-\s*/, '').trim())
    .filter(Boolean)
  return `bad setting: ${details.join('; ') || error.message}; fix it in .env or the environment`
}

function postgresFault(error: ErrorLike, targets: FaultTargets): Fault | null {
  const pg = targets.postgres
  if (error.code === '3D000') {
    const name = pg ? `"${pg.database}" ` : ''
    return {
      service: 'PostgreSQL',
      fatal: true,
      line: `database ${name}does not exist: check DB_DATABASE, or create it with "node ace ngip:setup" (pnpm start does)`,
    }
  }
  if (error.code === '28P01' || error.code === '28000') {
    const user = pg ? ` for user "${pg.user}"` : ''
    return {
      service: 'PostgreSQL',
      fatal: true,
      line: `PostgreSQL refused the login${user}: check DB_USER and DB_PASSWORD`,
    }
  }
  if (error.code && PG_AWAY.has(error.code)) {
    return { service: 'PostgreSQL', fatal: false, line: pgLine(targets, error.message ?? '') }
  }
  const message = error.message ?? ''
  if (PG_AWAY_MESSAGES.some((text) => message.includes(text))) {
    return { service: 'PostgreSQL', fatal: false, line: pgLine(targets, message) }
  }
  return null
}

function redisFault(error: ErrorLike): Fault | null {
  const message = error.message ?? ''
  if (/^(WRONGPASS|NOAUTH)/.test(message)) {
    return {
      service: 'Redis',
      fatal: true,
      line: `Redis refused the login (${message}): check REDIS_PASSWORD`,
    }
  }
  if (/DB index is out of range/.test(message)) {
    return { service: 'Redis', fatal: true, line: `Redis has no such database: check REDIS_DB` }
  }
  return null
}

/**
 * The one-line account of `error`, or null when it is not an ordinary fault
 * (a bug: the caller shows it in full).
 */
export function describeFault(error: unknown, targets: FaultTargets = {}): Fault | null {
  if (typeof error !== 'object' || error === null) {
    return null
  }
  const known = error as ErrorLike
  if (known.code === 'E_INVALID_ENV_VARIABLES') {
    return { service: null, fatal: true, line: settingLine(known) }
  }
  if (known.code === 'EADDRINUSE') {
    return { service: null, fatal: true, line: portTakenLine(known.port ?? 0) }
  }
  const byService = postgresFault(known, targets) ?? redisFault(known)
  if (byService) {
    return byService
  }
  if (known.code && UNREACHABLE.has(known.code)) {
    const reason = `${known.code}${known.address ? ` ${known.address}:${known.port}` : ''}`
    if (targets.redis && known.port === targets.redis.port) {
      return { service: 'Redis', fatal: false, line: redisLine(targets, reason) }
    }
    if (targets.postgres && known.port === targets.postgres.port) {
      return { service: 'PostgreSQL', fatal: false, line: pgLine(targets, reason) }
    }
  }
  if (/Connection is closed|Stream isn't writeable/.test(known.message ?? '')) {
    return { service: 'Redis', fatal: false, line: redisLine(targets, known.message!) }
  }
  return null
}

/** A service away for a reason no rule above knows (the caller knows which service). */
export function unreachable(service: Service, targets: FaultTargets, reason: string): Fault {
  const line = service === 'Redis' ? redisLine(targets, reason) : pgLine(targets, reason)
  return { service, fatal: false, line }
}

/** What to say when a port a role needs is in use. */
export function portTakenLine(port: number | string, setting = 'PORT') {
  return `port ${port} is taken (is ngip already running? stop it, or set ${setting} to a free port)`
}
