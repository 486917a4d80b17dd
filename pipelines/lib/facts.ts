import { execFileSync } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Facts } from '../config.ts'

function git(root: string, args: string[], fallback: string): string {
  try {
    return execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim()
  } catch {
    return fallback
  }
}

/** The npm package of the machine's npm (bin/npm-cli.js lives in it), found on PATH. */
export function npmDir(env: NodeJS.ProcessEnv): string {
  for (const dir of (env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'npm'))) {
      return resolve(dirname(realpathSync(join(dir, 'npm'))), '..')
    }
  }
  return ''
}

/** main's commit: the remote's main when this clone has one, else the local branch. */
function mainCommit(root: string): string | undefined {
  for (const ref of ['refs/remotes/origin/main', 'refs/heads/main']) {
    const commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], '')
    if (commit) {
      return commit
    }
  }
  return undefined
}

/** What the entry file learns once about the checkout and this machine. */
export function readFacts(root: string, env: NodeJS.ProcessEnv): Facts {
  const branch = git(root, ['rev-parse', '--abbrev-ref', 'HEAD'], 'HEAD')
  return {
    root,
    // A detached checkout (CI) names its branch in the environment, as Jenkins did.
    branch: branch === 'HEAD' ? env.BRANCH_NAME || env.GIT_BRANCH || 'HEAD' : branch,
    commit: git(root, ['rev-parse', '--short=12', 'HEAD'], 'unknown'),
    head: git(root, ['rev-parse', 'HEAD'], 'unknown'),
    subject: git(root, ['log', '-1', '--format=%s', 'HEAD'], ''),
    mainCommit: mainCommit(root),
    nodeBinary: process.execPath,
    npmDir: npmDir(env),
  }
}
