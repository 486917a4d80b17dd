import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { parse } from 'yaml'
import { COMMANDS } from '../../pipelines/config.ts'
import { root } from './helpers/pipeline.ts'

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const workspace = parse(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8'))
const pinned = String(manifest.packageManager).replace(/^pnpm@/, '')

/** The pipelines `pnpm pipeline` knows: each command, and its dry run where it has one. */
const names = COMMANDS.flatMap((command) =>
  command === 'idle-check' ? [command] : [command, `${command}:dry-run`]
)

/** `pnpm <args>` as a person types it, with the pnpm that package.json pins. */
async function pnpm(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root) {
  const child = spawn('pnpm', args, { cwd, env: { ...process.env, ...env } })
  let out = ''
  child.stdout.on('data', (chunk) => (out += chunk))
  child.stderr.on('data', (chunk) => (out += chunk))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, out }
}

test.group('pnpm pipeline <stage>, typed literally', (group) => {
  let state = ''
  group.each.setup(() => {
    state = mkdtempSync(join(tmpdir(), 'ngip-state-'))
    return () => rmSync(state, { recursive: true, force: true })
  })

  test('every command is a pnpm pipeline of one uncached task running our stage', ({ assert }) => {
    assert.deepEqual(Object.keys(workspace.pipelines).sort(), [...names].sort())
    for (const name of names) {
      const task = `pipeline:${name}`
      const [command, dry] = name.split(':')
      assert.deepEqual(workspace.pipelines[name], [task], name)
      assert.deepEqual(
        workspace.tasks[task],
        { cache: false },
        `${task} is never restored from cache`
      )
      const expected = `tsx pipelines/cli.ts ${command}${dry ? ' --dry-run' : ''}`
      assert.equal(manifest.scripts[task], expected, task)
    }
    assert.isTrue(workspace.includeWorkspaceRoot, 'the root package is the one project')
  })

  test('runs with the pinned pnpm', ({ assert }) => {
    const version = spawnSync('pnpm', ['--version'], { encoding: 'utf8' }).stdout.trim()
    assert.equal(version, pinned, `pnpm on PATH is ${version}, package.json pins ${pinned}`)
  })

  test('`pnpm pipeline stage-test` runs our stage every time, never a cached result', async ({
    assert,
  }) => {
    for (const run of [1, 2]) {
      const { code, out } = await pnpm(['pipeline', 'stage-test'], {
        NGIP_PIPELINE_STATE_DIR: state,
      })
      assert.notEqual(code, 0, `run ${run}: stage-test without a stage fails\n${out}`)
      assert.match(out, /^pipeline: stage-test on \S+ at [0-9a-f]+$/m, `run ${run}:\n${out}`)
      assert.match(out, /^pipeline: stage-test failed after \d+\.\d s: /m, `run ${run}`)
      assert.match(out, /0 from cache/, `run ${run}`)
    }
  })

  test("runs on a clean checkout of main's commit too (the build host's case)", async ({
    assert,
  }) => {
    const dir = mkdtempSync(join(tmpdir(), 'ngip-clean-'))
    const git = (...args: string[]) => execFileSync('git', args, { cwd: join(dir, 'clone') })
    try {
      execFileSync('git', ['init', '--quiet', '--bare', join(dir, 'origin.git')])
      execFileSync('git', ['clone', '--quiet', '--no-local', root, join(dir, 'clone')])
      for (const file of ['package.json', 'pnpm-workspace.yaml']) {
        copyFileSync(join(root, file), join(dir, 'clone', file))
      }
      git(
        '-c',
        'user.email=t@ngip.invalid',
        '-c',
        'user.name=t',
        'commit',
        '--allow-empty',
        '-qam',
        'as tested'
      )
      git('remote', 'set-url', 'origin', join(dir, 'origin.git'))
      git('push', '--quiet', 'origin', 'HEAD:refs/heads/main')
      git('fetch', '--quiet', 'origin')
      const env = { NGIP_PIPELINE_STATE_DIR: state }
      const { out } = await pnpm(['pipeline', 'stage-test'], env, join(dir, 'clone'))
      assert.notMatch(out, /No projects are affected/)
      assert.match(out, /^pipeline: stage-test failed after \d+\.\d s: /m, out)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }).timeout(300_000)

  test('`pnpm pipeline stage:dry-run` prints the stage plan and runs nothing', async ({
    assert,
  }) => {
    const { code, out } = await pnpm(['pipeline', 'stage:dry-run'], {
      NGIP_PIPELINE_STATE_DIR: state,
    })
    assert.equal(code, 0, out)
    assert.match(out, /^pipeline: stage on \S+ at [0-9a-f]+ \(dry run\)$/m)
    assert.match(out, /^stage passed in \d+\.\d s$/m)
  })
})
