import { test } from '@japa/runner'
import { describeFault } from '#lib/faults'
import { OutageLog } from '#services/operations/outage_log'

const targets = {
  postgres: { host: 'db.local', port: 5432, database: 'ngip_prod', user: 'ngip' },
  redis: { host: 'cache.local', port: 6379, db: 0 },
}

function netError(code: string, port: number) {
  return Object.assign(new Error(`connect ${code}`), { code, address: '10.0.0.5', port })
}

test.group('describeFault', () => {
  test('a missing database or a refused login is a setting: fatal, with what to fix', ({
    assert,
  }) => {
    const missing = describeFault({ code: '3D000', message: 'x' }, targets)
    assert.deepEqual(missing, {
      service: 'PostgreSQL',
      fatal: true,
      line: 'database "ngip_prod" does not exist: check DB_DATABASE, or create it with "node ace ngip:setup" (pnpm start does)',
    })
    assert.include(describeFault({ code: '28P01' }, targets), { fatal: true })
    assert.match(describeFault({ code: '28P01' }, targets)!.line, /user "ngip".*DB_PASSWORD/)
    assert.match(describeFault(new Error('WRONGPASS invalid'), targets)!.line, /REDIS_PASSWORD/)
  })

  test('a refused connection names the service by its port and is retried', ({ assert }) => {
    assert.deepEqual(describeFault(netError('ECONNREFUSED', 5432), targets), {
      service: 'PostgreSQL',
      fatal: false,
      line: 'PostgreSQL at db.local:5432 is unreachable (ECONNREFUSED 10.0.0.5:5432); retrying (is it running? DB_HOST, DB_PORT)',
    })
    assert.include(describeFault(netError('ECONNREFUSED', 6379), targets), {
      service: 'Redis',
      fatal: false,
    })
    assert.include(describeFault({ code: '57P01', message: 'terminating' }, targets), {
      service: 'PostgreSQL',
      fatal: false,
    })
  })

  test('a bad setting, a taken port; anything else is no ordinary fault', ({ assert }) => {
    const env = {
      code: 'E_INVALID_ENV_VARIABLES',
      message: 'Validation failed',
      help: '- "PORT" env variable must be a number (Current value: "abc")',
    }
    assert.equal(
      describeFault(env)!.line,
      'bad setting: "PORT" env variable must be a number (Current value: "abc"); fix it in .env or the environment'
    )
    assert.equal(
      describeFault({ code: 'EADDRINUSE', port: 3333 })!.line,
      'port 3333 is taken (is ngip already running? stop it, or set PORT to a free port)'
    )
    assert.isNull(describeFault(new TypeError('undefined is not a function'), targets))
    assert.isNull(describeFault(netError('ECONNREFUSED', 443), targets))
  })
})

test.group('OutageLog', () => {
  test('a setting that cannot work is told once and stops the role once, however many tasks meet it', ({
    assert,
  }) => {
    const lines: string[] = []
    const logger = {
      info: (line: string) => lines.push(line),
      warn: (line: string) => lines.push(line),
      error: (line: string) => lines.push(line),
    }
    let stops = 0
    const outages = new OutageLog(logger, targets, () => stops++)
    const missing = Object.assign(new Error('database "ngip_prod" does not exist'), {
      code: '3D000',
    })
    outages.report(missing, 'late detection', 'PostgreSQL')
    outages.report(missing, 'tokens sync', 'PostgreSQL')
    assert.equal(stops, 1)
    assert.lengthOf(lines, 1)
    assert.match(lines[0], /does not exist: check DB_DATABASE/)
  })
})
