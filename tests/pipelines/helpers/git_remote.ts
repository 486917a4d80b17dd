import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=ngip test', '-c', 'user.email=test@ngip', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim()
}

/**
 * A git remote made for a test: a bare repository (what the agent watches)
 * and a working clone that commits and pushes to it, all under one temporary
 * folder.
 */
export class GitRemote {
  readonly root: string
  readonly bare: string
  readonly work: string

  constructor(files: Record<string, string>) {
    this.root = mkdtempSync(join(tmpdir(), 'ngip-remote-'))
    this.bare = join(this.root, 'remote.git')
    this.work = join(this.root, 'work')
    mkdirSync(this.work)
    git(this.work, 'init', '--quiet', '--initial-branch=main')
    this.commit(files, 'first')
    git(this.root, 'clone', '--quiet', '--bare', this.work, this.bare)
    git(this.work, 'remote', 'add', 'origin', this.bare)
  }

  /** Writes the files, commits them on the current branch and returns the commit. */
  commit(files: Record<string, string>, message: string): string {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(this.work, path)), { recursive: true })
      writeFileSync(join(this.work, path), text)
    }
    git(this.work, 'add', '--all')
    git(this.work, 'commit', '--quiet', '--allow-empty', '-m', message)
    return git(this.work, 'rev-parse', 'HEAD')
  }

  /** Switches the working clone to `branch` (made from the current commit if new). */
  branch(name: string) {
    git(this.work, 'checkout', '--quiet', '-B', name)
  }

  push(branch: string) {
    git(this.work, 'push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${branch}`)
  }

  remove() {
    rmSync(this.root, { recursive: true, force: true })
  }
}
