import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { mockClient } from 'aws-sdk-client-mock'
import { EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2'
import { AutoScalingClient, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling'
import { Activity } from '../../pipelines/lib/activity.ts'
import { planTools, realTools } from '../../pipelines/lib/tools.ts'
import { idleCheck, type IdleConfig } from '../../pipelines/steps/idle_check.ts'
import { capturedLog, pipelineConfig } from './helpers/pipeline.ts'

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
    assert.deepEqual(deps.activity.running(), [])
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
})
