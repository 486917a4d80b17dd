import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { readFacts } from '../../pipelines/lib/facts.ts'
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
  test('--branch only names the branch: prod is planned exactly when HEAD is main', ({
    assert,
  }) => {
    const facts = readFacts(root, process.env)
    const onMain = facts.head === facts.mainCommit
    for (const branch of ['main', 'feature/x']) {
      const { code, out } = pipeline(['all', '--dry-run', '--branch', branch])
      assert.equal(code, 0, out)
      assert.match(out, new RegExp(`pipeline: all on ${branch} at \\w+ \\(dry run\\)`))
      assert.equal(/^\$ pnpm infra deploy --env prod /m.test(out), onMain, branch)
      assert.match(out, onMain ? /^prod\s+passed/m : /^prod\s+skipped\s+only from main's commit/m)
    }
  })

  test('pnpm run pipeline stage --dry-run shows the migration task before the services roll', ({
    assert,
  }) => {
    const result = spawnSync('pnpm', ['run', 'pipeline', 'stage', '--dry-run'], {
      cwd: root,
      env: process.env,
      encoding: 'utf8',
    })
    const out = result.stdout + result.stderr
    assert.equal(result.status, 0, out)
    const lines = out.split('\n')
    const migrate = lines.findIndex((line) =>
      line.startsWith('aws ecs RunTask <ngip-stage-jobs:MigrateTaskDefinitionArn>')
    )
    const roll = lines.findIndex((line) => /^\$ pnpm infra deploy --env stage .* --yes$/.test(line))
    const jobs = lines.findIndex((line) => / --yes ngip-stage-jobs$/.test(line))
    assert.isAbove(migrate, jobs, out)
    assert.isAbove(roll, migrate, out)
  })

  test('a failing stage prints one line why and exits non-zero', ({ assert }) => {
    const state = mkdtempSync(join(tmpdir(), 'ngip-state-'))
    try {
      // No AWS here: the SDK's endpoint is a closed local port, so the first call fails at once.
      const { code, out } = pipeline(['stage-test'], {
        NGIP_PIPELINE_STATE_DIR: state,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'not-a-secret',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
      })
      assert.equal(code, 1)
      const failures = out
        .split('\n')
        .filter((line) => line.startsWith('pipeline: stage-test failed'))
      assert.lengthOf(failures, 1)
      assert.match(failures[0], /failed after \d+\.\d s: connect ECONNREFUSED 127\.0\.0\.1:1$/)
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
    assert.match(unknown.out, /usage: pnpm pipeline </)
    assert.equal(pipeline(['build', '--no-such-flag']).code, 2)
    assert.equal(pipeline(['upload']).code, 2, 'upload is gone')
  })
})
