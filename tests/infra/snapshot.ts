import type { Assert } from '@japa/assert'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'

const DIR = new URL('./__snapshots__/', import.meta.url)
const ASSET_HASH = /[0-9a-f]{64}/g
/** A Lambda's published-version id ends in a hash of its code and settings. */
const VERSION_HASH = /(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}/g

/**
 * A template without what changes on every build or CDK upgrade: asset
 * hashes, the image tag, and the CDK analytics resource.
 */
export function normaliseTemplate(template: Record<string, any>, imageTag: string): unknown {
  const { Conditions = {}, Resources = {}, ...rest } = template
  const resources = Object.fromEntries(
    Object.entries(Resources).filter(
      ([, resource]) => (resource as any).Type !== 'AWS::CDK::Metadata'
    )
  )
  const conditions = Object.fromEntries(
    Object.entries(Conditions).filter(([name]) => name !== 'CDKMetadataAvailable')
  )
  const text = JSON.stringify({ ...rest, Conditions: conditions, Resources: resources })
    .replace(ASSET_HASH, '<asset-hash>')
    .replace(VERSION_HASH, '$1<version-hash>')
    .replaceAll(`:${imageTag}"`, ':<image-tag>"')
  return JSON.parse(text)
}

async function format(file: URL, value: unknown) {
  const options = await prettier.resolveConfig(fileURLToPath(file))
  return prettier.format(JSON.stringify(value), { ...options, parser: 'json' })
}

/**
 * Compares with tests/infra/__snapshots__/<name>.json; UPDATE_SNAPSHOTS=1
 * rewrites it, and a missing one is written (outside CI).
 */
export async function matchSnapshot(assert: Assert, name: string, value: unknown) {
  const file = new URL(`${name}.json`, DIR)
  const exists = existsSync(file)
  if (process.env.UPDATE_SNAPSHOTS === '1' || (!exists && !process.env.CI)) {
    writeFileSync(file, await format(file, value))
    return
  }
  assert.isTrue(exists, `snapshot ${name} is missing; run with UPDATE_SNAPSHOTS=1`)
  assert.deepEqual(
    value,
    JSON.parse(readFileSync(file, 'utf8')),
    `snapshot ${name} changed; if intended, rerun with UPDATE_SNAPSHOTS=1`
  )
}
