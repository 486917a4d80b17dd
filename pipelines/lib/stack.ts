/**
 * The containerised ngip stack that docker-test brings up, service by
 * service. docker/compose.yml describes the same stack for `docker compose`
 * (a test keeps the two in step).
 */
export interface StackService {
  name: string
  image: 'app' | 'postgres' | 'redis'
  command?: string[]
  env: Record<string, string>
  healthcheck?: string[]
  /** Container ports the host reaches (127.0.0.1 only). */
  publish?: number[]
  /** Runs to completion (exit 0) before the services after it start. */
  oneShot?: boolean
  /** Services that must be healthy (or done, for one-shots) first. */
  after: string[]
}

export interface StackSecrets {
  dbPassword: string
  appKey: string
}

export const DB_USER = 'ngip'
export const DB_NAME = 'ngip'
const APP_HEALTH = ['node', '/app/docker/healthcheck.mjs']

function appEnv(secrets: StackSecrets): Record<string, string> {
  return {
    APP_KEY: secrets.appKey,
    DB_HOST: 'postgres',
    DB_PORT: '5432',
    DB_USER,
    DB_PASSWORD: secrets.dbPassword,
    DB_DATABASE: DB_NAME,
    REDIS_HOST: 'redis',
    REDIS_PORT: '6379',
    APP_URL: 'http://127.0.0.1:3333',
    PING_URL: 'http://127.0.0.1:3334',
    PING_EMAIL_DOMAIN: 'localhost',
    LOG_LEVEL: 'info',
  }
}

export function stackServices(secrets: StackSecrets): StackService[] {
  const env = appEnv(secrets)
  const data = ['postgres', 'redis']
  const ready = [...data, 'migrate']
  return [
    {
      name: 'postgres',
      image: 'postgres',
      env: { POSTGRES_USER: DB_USER, POSTGRES_PASSWORD: secrets.dbPassword, POSTGRES_DB: DB_NAME },
      healthcheck: ['pg_isready', '-U', DB_USER, '-d', DB_NAME],
      after: [],
    },
    { name: 'redis', image: 'redis', env: {}, healthcheck: ['redis-cli', 'ping'], after: [] },
    {
      name: 'migrate',
      image: 'app',
      command: ['setup', '--json'],
      env,
      oneShot: true,
      after: data,
    },
    {
      name: 'web',
      image: 'app',
      command: ['web'],
      env,
      healthcheck: APP_HEALTH,
      publish: [3333],
      after: ready,
    },
    {
      name: 'ping',
      image: 'app',
      command: ['ping'],
      env,
      healthcheck: APP_HEALTH,
      publish: [3334],
      after: ready,
    },
    {
      name: 'smtpd',
      image: 'app',
      command: ['smtpd'],
      env,
      healthcheck: APP_HEALTH,
      publish: [2525],
      after: ready,
    },
    { name: 'worker', image: 'app', command: ['worker'], env, after: ready },
    { name: 'scheduler', image: 'app', command: ['scheduler'], env, after: ready },
  ]
}
