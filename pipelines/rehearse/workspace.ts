import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Executor } from '../lib/executor.ts'

/** A change a rehearsal commit makes: files (relative path → content) and its message. */
export interface Change {
  message: string
  files: Record<string, string>
}

export interface Pushed {
  commit: string
  message: string
  /** When the push returned, as Date.now(). */
  at: number
}

/**
 * The rehearsal's git side: a bare repository standing in for the project's
 * remote (GitHub) and a developer's clone of this checkout's HEAD that
 * commits and pushes to it.
 */
export class Workspace {
  readonly remote: string
  readonly dev: string
  readonly #git: Executor

  constructor(
    readonly dir: string,
    $: Executor
  ) {
    this.remote = join(dir, 'remote.git')
    this.dev = join(dir, 'dev')
    this.#git = $({ cwd: this.dev, quiet: true })
  }

  /** The bare remote, and a clone of `root`'s HEAD on a branch `main` that pushes to it. */
  async create($: Executor, root: string) {
    await $`git init --quiet --bare ${this.remote}`
    await $`git clone --quiet --no-local ${root} ${this.dev}`
    await this.#git`git checkout --quiet -B main`
    await this.#git`git remote set-url origin ${this.remote}`
    await this.#git`git config user.email rehearsal@ngip.invalid`
    await this.#git`git config user.name ngip-rehearsal`
  }

  /** Commits the change on main and pushes it, as a developer would. */
  async push(change: Change): Promise<Pushed> {
    for (const [path, content] of Object.entries(change.files)) {
      await mkdir(dirname(join(this.dev, path)), { recursive: true })
      await writeFile(join(this.dev, path), content)
    }
    await this.#git`git add --all`
    await this.#git`git commit --quiet --allow-empty -m ${change.message}`
    await this.#git`git push --quiet origin main`
    const head = await this.#git`git rev-parse HEAD`
    const commit = head.stdout.trim()
    return { commit, message: change.message, at: Date.now() }
  }
}

/**
 * The rehearsal's bad commit: a data migration gone wrong. It passes lint,
 * types, unit tests and docker-test (their databases start empty); only an
 * environment with data, stage, shows the loss, so prod never gets it.
 */
export const BAD_MIGRATION = {
  'database/migrations/9000_rehearsal_data_loss.ts': `import { BaseSchema } from '@adonisjs/lucid/schema'

/** A data migration gone wrong, pushed by \`pnpm pipeline rehearse\`: it empties the Tokens. */
export default class extends BaseSchema {
  async up() {
    this.defer(async (db) => {
      await db.from('tokens').delete()
    })
  }

  async down() {
    this.schema.raw('SELECT 1')
  }
}
`,
}
