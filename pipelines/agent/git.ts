import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/** The branches of the remote and the commit each points at. */
export async function remoteHeads(repo: string, cwd: string): Promise<Map<string, string>> {
  const { stdout } = await execFileAsync('git', ['ls-remote', '--heads', '--', repo], {
    cwd,
    timeout: 60_000,
  })
  const heads = new Map<string, string>()
  for (const line of stdout.split('\n')) {
    const match = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/.exec(line)
    if (match) {
      heads.set(match[2], match[1])
    }
  }
  return heads
}

/** Runs git with its output going to the run's log; rejects with one line on failure. */
function git(args: string[], cwd: string, logFd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['ignore', logFd, logFd] })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`git ${args[0]} exited with ${code}`))
    )
  })
}

/**
 * Puts the agent's checkout at `commit`, detached, with every branch of the
 * remote fetched as `origin/*`: the pipeline then sees whether HEAD is
 * origin/main's commit (prod) or not. Files the checkout does not track go,
 * except node_modules (a frozen install brings it in line) and .env (the
 * local APP_KEY the first install wrote; later installs change nothing and
 * do not write it again).
 */
export async function checkoutCommit(repo: string, dir: string, commit: string, logFd: number) {
  if (!existsSync(join(dir, '.git'))) {
    mkdirSync(dir, { recursive: true })
    await git(['clone', '--quiet', '--no-checkout', '--', repo, '.'], dir, logFd)
  } else {
    await git(['remote', 'set-url', 'origin', repo], dir, logFd)
  }
  await git(['fetch', '--quiet', '--prune', '--force', 'origin'], dir, logFd)
  await git(['checkout', '--quiet', '--force', '--detach', commit], dir, logFd)
  await git(['clean', '-ffdxq', '-e', '/node_modules', '-e', '/.env'], dir, logFd)
}
