import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type PipelineConfig, parseConfig } from '../../../pipelines/config.ts'
import { readFacts } from '../../../pipelines/lib/facts.ts'

/** A throwaway git repository with real commits and branches, for the facts the pipeline reads. */
export function gitCheckout() {
  const dir = mkdtempSync(join(tmpdir(), 'ngip-git-'))
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .trim()
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'pipeline-test@example.com')
  git('config', 'user.name', 'Pipeline Test')
  let count = 0
  const commit = (subject: string) => {
    count += 1
    writeFileSync(join(dir, 'file.txt'), `${count}\n`)
    git('add', 'file.txt')
    git('commit', '-q', '-m', subject)
    return git('rev-parse', 'HEAD')
  }
  commit('First commit on main')
  return {
    dir,
    git,
    commit,
    /** The configuration the pipeline's entry file would parse in this checkout. */
    config(argv: string[], env: NodeJS.ProcessEnv = {}): PipelineConfig {
      return parseConfig(argv, env, readFacts(dir, env))
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
