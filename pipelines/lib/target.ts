import type { SmokeTarget } from '../config.ts'
import type { DeployTargetName } from './settings.ts'
import type { Tools } from './tools.ts'

export type Environment = 'stage' | 'prod'

/** What one deploy puts out: this commit's image. */
export interface Release {
  /** The full commit id (40 hex digits). */
  commit: string
  /** The image tag: the short commit id. */
  tag: string
  /** The image reference the target pulls, e.g. `<registry>/ngip:<tag>`. */
  image: string
}

/** What the prod gate reads: a stage-test that passed. */
export interface StagePass {
  commit: string
  image: string
  /** ISO time of the pass. */
  at: string
}

/**
 * Where `stage` and `prod` go: AWS (CDK stacks, ECS, Lambda) or one Docker
 * host (a user's own server). Every deploy migrates first and leaves the
 * running version untouched when the migration fails.
 */
export interface DeployTarget {
  readonly name: DeployTargetName
  /** Migrates, then rolls (stage) or switches colours (prod) to the release. */
  deploy(tools: Tools, env: Environment, release: Release): Promise<void>
  /** The URLs and API key the smoke test uses against a deployed environment. */
  smokeTarget(tools: Tools, env: Environment): Promise<SmokeTarget>
  /** Records that stage-test passed for this release (what the prod gate reads). */
  recordStagePass(tools: Tools, release: Release): Promise<void>
  /** The last stage-test that passed, if any. */
  lastStagePass(tools: Tools): Promise<StagePass | undefined>
  /** Switches prod back to the colour before the last switch. */
  rollback(tools: Tools, env: Environment): Promise<void>
}
