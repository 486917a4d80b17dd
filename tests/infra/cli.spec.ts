import { test } from '@japa/runner'
import { cdkArgs, parseCliArgs } from '../../infra/cli/args.js'

const APP = 'node --import tsx bin/app.ts'

test.group('infra cli', () => {
  test('synth defaults to stage and stays quiet', ({ assert }) => {
    const options = parseCliArgs(['synth'])
    assert.equal(options.env, 'stage')
    assert.deepEqual(cdkArgs(options, 'abc1234', APP), [
      'synth',
      '--app',
      APP,
      '--output',
      'cdk.out',
      '--no-notices',
      '-c',
      'env=stage',
      '-c',
      'imageTag=abc1234',
      '--quiet',
    ])
  })

  test("deploy takes the environment's stacks unless some are named, and --yes skips approval", ({
    assert,
  }) => {
    const all = cdkArgs(parseCliArgs(['deploy', '--env', 'prod', '--yes']), 'abc', APP)
    assert.includeMembers(all, ['-c', 'env=prod', '--require-approval', 'never'])
    assert.notInclude(all, '--all', 'never the build host or the shared stack by accident')
    assert.equal(all.at(-1), 'ngip-prod-*')
    const one = cdkArgs(parseCliArgs(['deploy', 'ngip-prod-app', '--env=prod']), 'abc', APP)
    assert.notInclude(one, '--all')
    assert.notInclude(one, '--require-approval')
    assert.equal(one.at(-1), 'ngip-prod-app')
  })

  test('passes stack parameters on to a deploy, and refuses malformed ones', ({ assert }) => {
    const options = parseCliArgs([
      'deploy',
      'ngip-build-host',
      '--parameters',
      'ngip-build-host:RepositoryUrl=git@github.com:o/ngip.git',
    ])
    const args = cdkArgs(options, 'abc', APP)
    const at = args.indexOf('--parameters')
    assert.equal(args[at + 1], 'ngip-build-host:RepositoryUrl=git@github.com:o/ngip.git')
    assert.equal(args.at(-1), 'ngip-build-host')
    assert.throws(() => parseCliArgs(['deploy', '--parameters', 'RepositoryUrl']), /--parameters/)
  })

  test("bootstrap runs the CDK's own bootstrap", ({ assert }) => {
    assert.equal(cdkArgs(parseCliArgs(['bootstrap']), 'abc', APP)[0], 'bootstrap')
  })

  test('passes the image tag and extra context on to the app', ({ assert }) => {
    const options = parseCliArgs([
      'diff',
      '--image-tag',
      'f00ba47',
      '-c',
      'alarmEmail=ops@example.com',
    ])
    const args = cdkArgs(options, options.imageTag!, APP)
    assert.includeMembers(args, ['imageTag=f00ba47', 'alarmEmail=ops@example.com'])
    assert.notInclude(args, '--all')
  })

  test('destroy removes only the environment’s own stacks', ({ assert }) => {
    const options = parseCliArgs(['destroy', '--env', 'stage', '--yes'])
    const args = cdkArgs(options, 'abc', APP)
    assert.equal(args[0], 'destroy')
    assert.includeMembers(args, ['--force', 'ngip-stage-*'])
    assert.notInclude(args, '--all')
  })

  test('rejects {case}')
    .with([
      {
        case: 'a missing command',
        argv: [],
        message: /command must be one of synth, diff, deploy, destroy, bootstrap/,
      },
      { case: 'an unknown command', argv: ['nuke'], message: /command must be one of/ },
      {
        case: 'destroying every prod stack at once',
        argv: ['destroy', '--env', 'prod'],
        message: /destroy --env prod needs the stack names/,
      },
      {
        case: 'an unknown env',
        argv: ['synth', '--env', 'dev'],
        message: /--env must be one of stage, prod, got "dev"/,
      },
      {
        case: 'context without a value',
        argv: ['synth', '-c', 'novalue'],
        message: /context must be key=value/,
      },
    ])
    .run(({ assert }, { argv, message }) => {
      assert.throws(() => parseCliArgs(argv), message)
    })
})
