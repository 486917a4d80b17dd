import type { PipelineConfig } from '../config.ts'
import type { Tools } from '../lib/tools.ts'
import { type BaseImageConfig, baseImages } from './base_images.ts'
import { appImageRef, buildAppImage } from './image.ts'
import { showLogs, upStack } from './stack_run.ts'

/** What one pipeline run has made so far, for the stages after. */
export interface RunState {
  appImage?: string
}

export function baseImageConfig(config: PipelineConfig): BaseImageConfig {
  return {
    bases: config.image.bases,
    root: config.root,
    nodeBinary: config.image.nodeBinary,
    npmDir: config.image.npmDir,
    workDir: config.image.workDir,
    mirror: config.image.debianMirror,
  }
}

/** docker-build: the Node base (pulled or made here), then the ngip image on it. */
export async function dockerBuild(tools: Tools, config: PipelineConfig, state: RunState) {
  await tools.docker.ready()
  const { node } = await baseImages(tools, baseImageConfig(config), ['node'])
  state.appImage = await buildAppImage(tools, { root: config.root, ...config.image }, node!)
  return state.appImage
}

/** The image of this commit: built earlier in this run, present already, or built now. */
export async function appImage(tools: Tools, config: PipelineConfig, state: RunState) {
  await tools.docker.ready()
  const ref = appImageRef({ root: config.root, ...config.image })
  if (state.appImage || (await tools.docker.hasImage(ref))) {
    return ref
  }
  return dockerBuild(tools, config, state)
}

/**
 * docker-test: the image of this run (built now unless this run built it
 * already), the whole stack on its own networks, the smoke test against it;
 * logs on failure, everything removed in any case.
 */
export async function dockerTest(tools: Tools, config: PipelineConfig, state: RunState) {
  await tools.docker.ready()
  const app = state.appImage ?? (await dockerBuild(tools, config, state))
  const { postgres, redis } = await baseImages(tools, baseImageConfig(config), [
    'postgres',
    'redis',
  ])
  const name = `ngip-test-${config.commit.slice(0, 7)}-${process.pid}`
  const stack = await upStack(tools, {
    name,
    images: { app, postgres: postgres!, redis: redis! },
    timeoutMs: 120_000,
  })
  try {
    await tools.smoke(await stack.target())
  } catch (error) {
    await showLogs(tools, stack.containers)
    throw error
  } finally {
    await stack.down()
  }
}
