import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { mockClient } from 'aws-sdk-client-mock'
import { EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2'
import { AutoScalingClient, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling'
import { Activity, STATE_DIR } from '../../pipelines/lib/activity.ts'
import { planTools, realTools } from '../../pipelines/lib/tools.ts'
import { idleCheck, type IdleConfig } from '../../pipelines/steps/idle_check.ts'
import { capturedLog, pipelineConfig, root } from './helpers/pipeline.ts'

const MINUTE = 60_000
const config: IdleConfig = { minutes: 30, stopWith: 'shutdown' }

let dir = ''

/** A host state: a clock the test moves, an uptime, and the activity folder. */
function host() {
  const state = { now: 1_800_000_000_000, uptimeMinutes: 600 }
  const deps = {
    activity: new Activity(
      dir,
      () => state.now,
      (pid) => pid === process.pid
    ),
    clock: () => state.now,
    uptime: () => state.uptimeMinutes * 60,
  }
  return { state, deps }
}

/** idle-check with the recording executor: nothing runs, each command is recorded. */
async function check(deps: Parameters<typeof idleCheck>[2], idle: IdleConfig = config) {
  const { log, output } = capturedLog()
  const tools = planTools(pipelineConfig(['idle-check', '--dry-run']), log)
  const verdict = await idleCheck(tools, idle, deps)
  return { verdict, commands: tools.plan!.lines, output: output() }
}

const tsx = createRequire(import.meta.url).resolve('tsx/cli')

/** `pipeline idle-check --dry-run` through the entry file, as `user` (root by default). */
function idleCheckCli(env: NodeJS.ProcessEnv, user?: number) {
  const result = spawnSync(process.execPath, [tsx, 'pipelines/cli.ts', 'idle-check', '--dry-run'], {
    cwd: root,
    env: { ...process.env, BUILD_HOST_GROUP: '', ...env },
    encoding: 'utf8',
    ...(user === undefined ? {} : { uid: user, gid: user }),
  })
  return { code: result.status, out: result.stdout + result.stderr }
}

async function verdictOf(deps: Parameters<typeof idleCheck>[2]) {
  const { verdict } = await check(deps)
  return verdict
}

test.group('idle-check on the build host', (group) => {
  group.each.setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'ngip-idle-'))
    return () => rmSync(dir, { recursive: true, force: true })
  })

  test('stops the host with shutdown -h once idle N minutes and up N minutes', async ({
    assert,
  }) => {
    const { state, deps } = host()
    deps.activity.begin(4242)()
    state.now += 31 * MINUTE
    const result = await check(deps)
    assert.equal(result.verdict, 'stopped')
    assert.deepEqual(result.commands, ['$ shutdown -h now'])
  })

  test('keeps the host up while a pipeline runs, however long', async ({ assert }) => {
    const { state, deps } = host()
    const end = deps.activity.begin(process.pid)
    state.now += 240 * MINUTE
    const running = await check(deps)
    assert.equal(running.verdict, 'running')
    assert.deepEqual(running.commands, [])
    end()
    state.now += 31 * MINUTE
    assert.equal(await verdictOf(deps), 'stopped')
  })

  test('forgets the mark of a pipeline whose process died', async ({ assert }) => {
    const { state, deps } = host()
    deps.activity.begin(999_999)
    state.now += 31 * MINUTE
    assert.deepEqual(deps.activity.read().running, [])
    assert.equal(await verdictOf(deps), 'stopped')
  })

  test('keeps the host up after recent activity', async ({ assert }) => {
    const { state, deps } = host()
    deps.activity.begin(4242)()
    state.now += 29 * MINUTE
    const result = await check(deps)
    assert.equal(result.verdict, 'recent')
    assert.deepEqual(result.commands, [])
    assert.include(result.output, 'last activity 29 min ago; keeping the host up')
  })

  test('keeps a freshly booted host up even with no activity ever', async ({ assert }) => {
    const { state, deps } = host()
    state.uptimeMinutes = 10
    assert.equal(await verdictOf(deps), 'young')
    state.uptimeMinutes = 30
    assert.equal(await verdictOf(deps), 'stopped')
  })

  test('can stop through EC2 StopInstances instead (stand-in for the EC2 API)', async ({
    assert,
  }) => {
    const { state, deps } = host()
    state.now += 31 * MINUTE
    const ec2 = mockClient(EC2Client)
    ec2.on(StopInstancesCommand).resolves({})
    try {
      const { log } = capturedLog()
      const tools = realTools(pipelineConfig(['idle-check']), log)
      const verdict = await idleCheck(
        tools,
        { ...config, stopWith: 'ec2', instanceId: 'i-0abc' },
        deps
      )
      assert.equal(verdict, 'stopped')
      const calls = ec2.commandCalls(StopInstancesCommand)
      assert.lengthOf(calls, 1)
      assert.deepEqual(calls[0].args[0].input, { InstanceIds: ['i-0abc'] })
    } finally {
      ec2.restore()
    }
  })

  test('on the build host, scales its Auto Scaling group in (stand-in for the Auto Scaling API)', async ({
    assert,
  }) => {
    const { state, deps } = host()
    state.now += 46 * MINUTE
    const onHost = pipelineConfig(['idle-check'], {
      BUILD_HOST_GROUP: 'ngip-build',
      IDLE_MINUTES: '45',
    })
    assert.equal(onHost.idle.stopWith, 'asg')
    assert.equal(onHost.idle.minutes, 45)
    const autoscaling = mockClient(AutoScalingClient)
    autoscaling.on(SetDesiredCapacityCommand).resolves({})
    try {
      const { log } = capturedLog()
      assert.equal(await idleCheck(realTools(onHost, log), onHost.idle, deps), 'stopped')
      const calls = autoscaling.commandCalls(SetDesiredCapacityCommand)
      assert.deepEqual(calls[0].args[0].input, {
        AutoScalingGroupName: 'ngip-build',
        DesiredCapacity: 0,
      })
    } finally {
      autoscaling.restore()
    }
  })

  test('an unreadable or garbled mark keeps the host up and says why', async ({ assert }) => {
    const { state, deps } = host()
    state.now += 240 * MINUTE
    mkdirSync(join(dir, 'last-activity'))
    const unreadable = await check(deps)
    assert.equal(unreadable.verdict, 'unreadable')
    assert.deepEqual(unreadable.commands, [])
    assert.match(unreadable.output, /cannot read .*last-activity \(EISDIR\); keeping the host up/)
    rmSync(join(dir, 'last-activity'), { recursive: true })
    writeFileSync(join(dir, 'last-activity'), 'half-writ')
    const garbled = await check(deps)
    assert.equal(garbled.verdict, 'unreadable')
    assert.include(garbled.output, 'not a time: "half-writ"')
  })

  test('marks go in group-writable folders; a folder it may not write is reported, the run goes on', ({
    assert,
  }) => {
    const state = join(dir, 'state')
    const end = new Activity(state).begin(4242)
    assert.equal(statSync(state).mode & 0o7777, 0o2775)
    assert.equal(statSync(join(state, 'running')).mode & 0o7777, 0o2775)
    assert.equal(statSync(join(state, 'running', '4242')).mode & 0o777, 0o664)
    end()
    assert.equal(statSync(join(state, 'last-activity')).mode & 0o777, 0o664)

    const warnings: string[] = []
    writeFileSync(join(dir, 'a-file'), '')
    const blocked = new Activity(
      join(dir, 'a-file', 'state'),
      Date.now,
      () => true,
      (line) => warnings.push(line)
    )
    const noop = blocked.begin(4242)
    noop()
    assert.lengthOf(warnings, 1)
    assert.match(
      warnings[0],
      /cannot mark pid 4242 as running in .* \(ENOTDIR\); idle-check will not see this run/
    )
  })

  test('the state folder is the same for every user unless NGIP_PIPELINE_STATE_DIR says otherwise', ({
    assert,
  }) => {
    assert.equal(STATE_DIR, '/var/lib/ngip-pipeline')
    assert.equal(pipelineConfig(['idle-check']).idle.stateDir, STATE_DIR)
    assert.equal(
      pipelineConfig(['idle-check'], { NGIP_PIPELINE_STATE_DIR: dir }).idle.stateDir,
      dir
    )
  })

  test('run as another user, idle-check sees a run of root and refuses a mark it cannot read', ({
    assert,
  }) => {
    const nobody = 65534
    chmodSync(dir, 0o755)
    const end = new Activity(dir).begin(process.pid)
    const seen = idleCheckCli({ NGIP_PIPELINE_STATE_DIR: dir }, nobody)
    assert.equal(seen.code, 0, seen.out)
    assert.include(
      seen.out,
      `idle-check: a pipeline is running (pid ${process.pid}); keeping the host up`
    )
    end()
    chmodSync(join(dir, 'last-activity'), 0o600)
    const refused = idleCheckCli({ NGIP_PIPELINE_STATE_DIR: dir, IDLE_MINUTES: '1' }, nobody)
    assert.match(
      refused.out,
      /idle-check: cannot read .*last-activity \(EACCES\); keeping the host up/
    )
    assert.notInclude(refused.out, 'shutdown')
  })

  test('pipeline idle-check parks the host after IDLE_MINUTES with no run', ({ assert }) => {
    writeFileSync(join(dir, 'last-activity'), String(Date.now() - 2 * MINUTE))
    const parked = idleCheckCli({ NGIP_PIPELINE_STATE_DIR: dir, IDLE_MINUTES: '1' })
    assert.equal(parked.code, 0, parked.out)
    assert.include(parked.out, 'idle-check: idle for 1 min or more; stopping the host')
    assert.match(parked.out, /^\$ shutdown -h now$/m)
    writeFileSync(join(dir, 'last-activity'), String(Date.now()))
    const kept = idleCheckCli({ NGIP_PIPELINE_STATE_DIR: dir, IDLE_MINUTES: '1' })
    assert.include(kept.out, 'idle-check: last activity 0 min ago; keeping the host up')
  })
})
