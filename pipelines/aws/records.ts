import type { Release, StagePass } from '../lib/target.ts'
import type { Tools } from '../lib/tools.ts'

/**
 * What the pipeline remembers between runs, as SSM parameters that the
 * build host and a person's machine both read: the last stage-test that
 * passed (the prod gate) and the prod releases (rollback).
 */
export const PARAMETERS = {
  stagePass: '/ngip/stage-test/passed',
  prodRelease: '/ngip/prod/release',
  prodPrevious: '/ngip/prod/previous-release',
} as const

/** A release as recorded when it went to prod. */
export interface RecordedRelease extends Release {
  at: string
}

function parse<T>(text: string, fields: readonly string[]): T | undefined {
  try {
    const value = JSON.parse(text)
    return fields.every((field) => typeof value?.[field] === 'string') ? value : undefined
  } catch {
    return undefined
  }
}

/** Reads one record; a missing one is undefined, an unreadable one too (and says so). */
async function read<T>(tools: Tools, name: string, fields: readonly string[]) {
  const text = await tools.aws.parameter(name)
  if (text === undefined) {
    return undefined
  }
  const value = parse<T>(text, fields)
  if (!value) {
    tools.log.line(`the record ${name} is unreadable; it counts as none`)
  }
  return value
}

export function readStagePass(tools: Tools) {
  return read<StagePass>(tools, PARAMETERS.stagePass, ['commit', 'image', 'at'])
}

export async function writeStagePass(tools: Tools, release: Release, at = new Date()) {
  const pass: StagePass = { commit: release.commit, image: release.image, at: at.toISOString() }
  await tools.aws.putParameter(PARAMETERS.stagePass, JSON.stringify(pass))
}

export function readRelease(tools: Tools, name: string) {
  return read<RecordedRelease>(tools, name, ['commit', 'tag', 'image', 'at'])
}

/** Makes `release` prod's current release and `before` the one a rollback goes back to. */
export async function writeProdReleases(
  tools: Tools,
  release: Release,
  before: RecordedRelease | undefined
) {
  if (before && before.commit !== release.commit) {
    await tools.aws.putParameter(PARAMETERS.prodPrevious, JSON.stringify(before))
  }
  const current: RecordedRelease = { ...release, at: new Date().toISOString() }
  await tools.aws.putParameter(PARAMETERS.prodRelease, JSON.stringify(current))
}
