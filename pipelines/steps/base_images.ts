import type { BaseImages } from '../config.ts'
import type { Tools } from '../lib/tools.ts'
import {
  LOCAL_IMAGES,
  type LocalImageConfig,
  makeDebian,
  makeNode,
  makeService,
} from './local_images.ts'

/** The images a registry has, which the build host pulls. */
export const REGISTRY_IMAGES = {
  node: 'node:24-bookworm-slim',
  postgres: 'postgres:15-bookworm',
  redis: 'redis:7-bookworm',
} as const

export type BaseImageSet = Record<keyof typeof REGISTRY_IMAGES, string>
type Kind = keyof BaseImageSet

export interface BaseImageConfig extends LocalImageConfig {
  bases: BaseImages
}

async function fromRegistry(tools: Tools, ref: string) {
  return (await tools.docker.hasImage(ref)) || (await tools.docker.pull(ref))
}

async function ensureLocal(tools: Tools, config: BaseImageConfig, kind: Kind | 'debian') {
  if (await tools.docker.hasImage(LOCAL_IMAGES[kind])) {
    return
  }
  if (kind !== 'debian') {
    await ensureLocal(tools, config, 'debian')
  }
  tools.log.line(`base images: making ${LOCAL_IMAGES[kind]} on this machine`)
  const make = { debian: makeDebian, node: makeNode }[kind as 'debian' | 'node']
  await (make ? make(tools, config) : makeService(tools, config, kind as 'postgres' | 'redis'))
}

async function resolve(tools: Tools, config: BaseImageConfig, kind: Kind): Promise<string> {
  if (config.bases !== 'local' && (await fromRegistry(tools, REGISTRY_IMAGES[kind]))) {
    return REGISTRY_IMAGES[kind]
  }
  if (config.bases === 'registry') {
    throw new Error(`cannot pull ${REGISTRY_IMAGES[kind]} (try --base-images local)`)
  }
  await ensureLocal(tools, config, kind)
  return LOCAL_IMAGES[kind]
}

/**
 * The Node, PostgreSQL and Redis images to use: the registry's when it can be
 * reached (or `--base-images registry`), else ones made here once and kept.
 */
export async function baseImages(tools: Tools, config: BaseImageConfig, kinds: Kind[]) {
  const images: Partial<BaseImageSet> = {}
  for (const kind of kinds) {
    images[kind] = await resolve(tools, config, kind)
  }
  return images
}
