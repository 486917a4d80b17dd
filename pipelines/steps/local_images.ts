import { mkdir, rm, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { packContext } from '../lib/build_context.ts'
import type { Tools } from '../lib/tools.ts'

/**
 * Base images made on this machine, for hosts that cannot pull from a
 * registry: Debian by debootstrap, then Node, PostgreSQL and Redis on it.
 * Each is made once and kept (by tag).
 */
export const LOCAL_IMAGES = {
  debian: 'localhost/ngip-debian:bookworm',
  node: 'localhost/ngip-node:24',
  postgres: 'localhost/ngip-postgres:15',
  redis: 'localhost/ngip-redis:7',
} as const

export interface LocalImageConfig {
  root: string
  nodeBinary: string
  /** The npm package folder copied next to Node. */
  npmDir: string
  workDir: string
  mirror: string
}

/** Emptied in the bootstrapped system: caches, docs and locales, as slim images do. */
const SLIM = [
  'var/cache/apt',
  'var/lib/apt/lists',
  'usr/share/doc',
  'usr/share/man',
  'usr/share/locale',
]

export async function makeDebian(tools: Tools, config: LocalImageConfig) {
  const dir = join(config.workDir, 'debian')
  const tar = join(config.workDir, 'debian.tar')
  const { $ } = tools
  try {
    await $`rm -rf ${dir} && mkdir -p ${dir}`
    await $`debootstrap --variant=minbase bookworm ${dir} ${config.mirror}`
    await $`find ${SLIM.map((path) => join(dir, path))} -mindepth 1 -delete`
    await $`mkdir -p ${join(dir, 'var/lib/apt/lists/partial')} ${join(dir, 'var/cache/apt/archives/partial')}`
    await $`tar -C ${dir} --exclude=./dev/* -cf ${tar} .`
    await tools.docker.importImage(tar, LOCAL_IMAGES.debian)
  } finally {
    await $`rm -rf ${dir} ${tar}`
  }
}

/** Node 24 on the local Debian: this machine's Node binary plus npm. */
export async function makeNode(tools: Tools, config: LocalImageConfig) {
  const dir = join(config.workDir, 'node-context')
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  try {
    await symlink(join(config.root, 'docker/base/node.Dockerfile'), join(dir, 'Dockerfile'))
    await symlink(config.nodeBinary, join(dir, 'node'))
    await symlink(config.npmDir, join(dir, 'npm'))
    await tools.docker.build({
      context: () => packContext(dir, { dereference: true }),
      contextLabel: `(${config.nodeBinary} + ${config.npmDir})`,
      tag: LOCAL_IMAGES.node,
      dockerfile: 'Dockerfile',
      buildargs: { DEBIAN_IMAGE: LOCAL_IMAGES.debian },
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** PostgreSQL 15 or Redis 7 from Debian's packages on the local Debian. */
export async function makeService(
  tools: Tools,
  config: LocalImageConfig,
  which: 'postgres' | 'redis'
) {
  await tools.docker.build({
    context: () => packContext(join(config.root, 'docker/base')),
    contextLabel: 'docker/base',
    tag: LOCAL_IMAGES[which],
    dockerfile: `${which}.Dockerfile`,
    buildargs: { DEBIAN_IMAGE: LOCAL_IMAGES.debian },
  })
}
