import type { Environment } from '../lib/target.ts'

export type Colour = 'blue' | 'green'

/** The app roles each colour runs; web and ping are behind the proxy. */
export const ROLES = ['web', 'ping', 'worker', 'scheduler'] as const
export type Role = (typeof ROLES)[number]

/** Carried by everything a host deploy makes; its value is `<project>-<env>`. */
export const HOST_LABEL = 'ngip.host'
/** The release (image tag) a colour's containers run. */
export const RELEASE_LABEL = 'ngip.release'

export function otherColour(colour: Colour): Colour {
  return colour === 'blue' ? 'green' : 'blue'
}

/**
 * The names of one environment's containers, network and volumes on the
 * engine, e.g. `ngip-prod-green-web`, `ngip-prod-pgdata`.
 */
export function envNames(project: string, env: Environment) {
  const base = `${project}-${env}`
  return {
    base,
    network: base,
    postgres: `${base}-postgres`,
    redis: `${base}-redis`,
    migrate: `${base}-migrate`,
    proxy: `${base}-proxy`,
    lock: `${base}-deploy-lock`,
    volumes: {
      pgdata: `${base}-pgdata`,
      redisdata: `${base}-redisdata`,
      storage: `${base}-storage`,
      proxy: `${base}-proxy`,
    },
    colour: (colour: Colour) => `${base}-${colour}`,
    role: (colour: Colour, role: Role) => `${base}-${colour}-${role}`,
  }
}

export type EnvNames = ReturnType<typeof envNames>
