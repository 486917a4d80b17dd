import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { root } from './helpers/pipeline.ts'

const tsx = createRequire(import.meta.url).resolve('tsx/cli')

function pipeline(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [tsx, 'pipelines/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  })
  return { code: result.status, out: result.stdout + result.stderr }
}

test.group('pnpm run pipeline (the entry file)', () => {
  test('all --dry-run --branch main prints the whole plan with prod', ({ assert }) => {
    const { code, out } = pipeline(['all', '--dry-run', '--branch', 'main'])
    assert.equal(code, 0, out)
    assert.match(out, /pipeline: all on main at \w+ \(dry run\)/)
    assert.match(out, /^\$ pnpm infra deploy --env prod /m)
    assert.match(out, /^prod\s+passed/m)
  })

  test('all --dry-run --branch feature/x prints the plan without prod', ({ assert }) => {
    const { code, out } = pipeline(['all', '--dry-run', '--branch', 'feature/x'])
    assert.equal(code, 0, out)
    assert.notMatch(out, /--env prod/)
    assert.match(out, /^prod\s+skipped/m)
  })

  test('a failing stage prints one line why and exits non-zero', ({ assert }) => {
    const state = mkdtempSync(join(tmpdir(), 'ngip-state-'))
    try {
      const { code, out } = pipeline(['stage-test'], {
        NGIP_PIPELINE_STATE_DIR: state,
        NGIP_STAGE_WEB_URL: '',
      })
      assert.equal(code, 1)
      const failures = out
        .split('\n')
        .filter((line) => line.startsWith('pipeline: stage-test failed'))
      assert.lengthOf(failures, 1)
      assert.match(failures[0], /failed after \d+\.\d s: set NGIP_STAGE_WEB_URL/)
      assert.deepEqual(
        readdirSync(join(state, 'running')),
        [],
        'the run is no longer marked running'
      )
    } finally {
      rmSync(state, { recursive: true, force: true })
    }
  })

  test('an unknown stage or option is refused with the usage', ({ assert }) => {
    const unknown = pipeline(['deploy-everything'])
    assert.equal(unknown.code, 2)
    assert.match(unknown.out, /the stage must be one of build, test, docker-build/)
    assert.match(unknown.out, /usage: pnpm run pipeline/)
    assert.equal(pipeline(['build', '--no-such-flag']).code, 2)
  })
})
