import { test } from '@japa/runner'
import { RunTaskCommand } from '@aws-sdk/client-ecs'
import { AwsTarget } from '../../pipelines/aws/aws_target.ts'
import { runStages } from '../../pipelines/lib/runner.ts'
import { STAGE_LIST } from '../../pipelines/stages.ts'
import { releaseOf } from '../../pipelines/steps/deploy.ts'
import {
  awsStandIn,
  deployedAccount,
  type FakeAccount,
  JOBS_OUTPUTS,
} from './helpers/aws_stand_in.ts'
import { pipelineConfig } from './helpers/pipeline.ts'

const config = pipelineConfig(['stage'])
const release = releaseOf(config)
const TAG = config.image.tag
const JOBS_DEPLOY = `$ pnpm infra deploy --env stage --image-tag ${TAG} --yes ngip-stage-jobs`
const SERVICES_DEPLOY = `$ pnpm infra deploy --env stage --image-tag ${TAG} --yes`
const MIGRATE = `aws ecs RunTask ${JOBS_OUTPUTS.MigrateTaskDefinitionArn}`
const SETUP = `aws ecs RunTask ${JOBS_OUTPUTS.SetupTaskDefinitionArn}`

/** Deploys stage against the fake account (AWS stand-in) and returns what happened. */
async function deployStage(account: FakeAccount) {
  const aws = awsStandIn(config, account)
  try {
    const target = new AwsTarget({ pollMs: 1 })
    const error = await target.deploy(aws.tools, 'stage', release).then(
      () => undefined,
      (failure: Error) => failure
    )
    return { error, events: aws.events, output: aws.output() }
  } finally {
    aws.restore()
  }
}

test.group('stage on AWS: migrations before the services roll (AWS stand-in)', () => {
  test('deploys the jobs stack, migrates to exit 0, then rolls the services', async ({
    assert,
  }) => {
    const account = deployedAccount()
    account.tasks[JOBS_OUTPUTS.MigrateTaskDefinitionArn] = [
      { status: 'PROVISIONING' },
      { status: 'RUNNING' },
      { status: 'STOPPED', exitCode: 0 },
    ]
    const { error, events, output } = await deployStage(account)
    assert.isUndefined(error)
    assert.deepEqual(events, [
      JOBS_DEPLOY,
      'aws cloudformation DescribeStacks ngip-stage-jobs',
      MIGRATE,
      ...Array(3).fill(
        'aws ecs DescribeTasks arn:aws:ecs:eu-west-1:123456789012:task/ngip-stage-jobs/task1'
      ),
      `aws secretsmanager GetSecretValue ${JOBS_OUTPUTS.ApiKeySecretArn}`,
      SERVICES_DEPLOY,
    ])
    assert.match(output, /migrate: task task1 exited 0 after \d+\.\d s/)
  })

  test('runs the migrate task in the private subnets with the jobs security group, no public IP', async ({
    assert,
  }) => {
    const account = deployedAccount()
    const aws = awsStandIn(config, account)
    try {
      await new AwsTarget({ pollMs: 1 }).deploy(aws.tools, 'stage', release)
      const [call] = aws.mocks.ecs.commandCalls(RunTaskCommand)
      assert.deepInclude(call.args[0].input, {
        cluster: 'ngip-stage-jobs',
        taskDefinition: JOBS_OUTPUTS.MigrateTaskDefinitionArn,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ['subnet-a', 'subnet-b'],
            securityGroups: ['sg-jobs'],
            assignPublicIp: 'DISABLED',
          },
        },
      })
    } finally {
      aws.restore()
    }
  })

  test('a failed migration prints its log, stops the deploy and never rolls the services', async ({
    assert,
  }) => {
    const account = deployedAccount()
    account.tasks[JOBS_OUTPUTS.MigrateTaskDefinitionArn] = [{ status: 'STOPPED', exitCode: 1 }]
    account.logs = ['Migrating 0042_add_column', 'error: column "x" already exists']
    const { error, events, output } = await deployStage(account)
    assert.match(error!.message, /^migrate task task1 exited 1; the services were not touched$/)
    assert.notInclude(events, SERVICES_DEPLOY)
    assert.notInclude(events, SETUP)
    assert.equal(events.filter((line) => line.startsWith('$ ')).length, 1, 'only the jobs deploy')
    assert.include(
      events,
      `aws logs GetLogEvents ${JOBS_OUTPUTS.MigrateLogGroupName} ngip-stage-migrate/app/task1`
    )
    assert.include(output, '  | error: column "x" already exists')
  })

  test('a migrate task that never ran (image not pulled) fails with ECS reason', async ({
    assert,
  }) => {
    const account = deployedAccount()
    account.tasks[JOBS_OUTPUTS.MigrateTaskDefinitionArn] = [
      { status: 'STOPPED', reason: 'CannotPullContainerError: ngip:abc not found' },
    ]
    const { error, events } = await deployStage(account)
    assert.match(error!.message, /stopped without an exit code \(CannotPullContainerError/)
    assert.notInclude(events, SERVICES_DEPLOY)
  })

  test('the first deploy runs setup after the migrations and before the services', async ({
    assert,
  }) => {
    const account = deployedAccount()
    account.secrets[JOBS_OUTPUTS.ApiKeySecretArn] =
      'none yet: the first deploy puts the API key here'
    const { error, events, output } = await deployStage(account)
    assert.isUndefined(error)
    const order = [JOBS_DEPLOY, MIGRATE, SETUP, SERVICES_DEPLOY].map((line) => events.indexOf(line))
    assert.notInclude(order, -1)
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b)
    )
    assert.include(output, 'stage: first deploy: seeding the first admin')
  })

  test('a failed first setup leaves the services alone too', async ({ assert }) => {
    const account = deployedAccount()
    account.secrets[JOBS_OUTPUTS.ApiKeySecretArn] = 'none yet'
    account.tasks[JOBS_OUTPUTS.SetupTaskDefinitionArn] = [{ status: 'STOPPED', exitCode: 1 }]
    const { error, events } = await deployStage(account)
    assert.match(error!.message, /^setup task task2 exited 1/)
    assert.notInclude(events, SERVICES_DEPLOY)
  })

  test('the stage stage fails with one line and a missing jobs stack says so', async ({
    assert,
  }) => {
    const account = deployedAccount()
    account.tasks[JOBS_OUTPUTS.MigrateTaskDefinitionArn] = [{ status: 'STOPPED', exitCode: 3 }]
    const aws = awsStandIn(config, account)
    try {
      const stage = STAGE_LIST.filter((entry) => entry.name === 'stage')
      const [result] = await runStages(aws.tools, config, stage)
      assert.equal(result.result, 'failed')
      const failures = aws
        .output()
        .split('\n')
        .filter((line) => line.startsWith('pipeline: '))
      assert.lengthOf(failures, 1)
      assert.match(
        failures[0],
        /^pipeline: stage failed after \d+\.\d s: migrate task task1 exited 3; the services were not touched$/
      )
      assert.notInclude(aws.events, SERVICES_DEPLOY)
    } finally {
      aws.restore()
    }
    delete account.outputs['ngip-stage-jobs']
    const { error } = await deployStage(account)
    assert.match(error!.message, /ngip-stage-jobs does not exist/)
  })
})

test.group('stage-test on AWS reads the stage from its stacks (AWS stand-in)', () => {
  test('URLs from the app and ping stack outputs, the key from Secrets Manager, masked; the pass recorded', async ({
    assert,
  }) => {
    const account = deployedAccount()
    const aws = awsStandIn(config, account)
    try {
      const stage = STAGE_LIST.filter((entry) => entry.name === 'stage-test')
      const [result] = await runStages(aws.tools, config, stage)
      assert.equal(result.result, 'passed')
      assert.include(
        aws.events,
        'smoke https://stage.ngip.example.com https://ping.stage.ngip.example.com key=***'
      )
      assert.notInclude(aws.output(), 'stage-key-secret-value')
      const pass = JSON.parse(account.parameters['/ngip/stage-test/passed'])
      assert.deepInclude(pass, { commit: config.head, image: release.image })
      assert.match(pass.at, /^\d{4}-\d\d-\d\dT/)
    } finally {
      aws.restore()
    }
  })

  test('NGIP_STAGE_* set by hand still win, and no stack is read', async ({ assert }) => {
    const byHand = pipelineConfig(['stage-test'], {
      NGIP_STAGE_WEB_URL: 'https://stage.example.org',
      NGIP_STAGE_PING_URL: 'https://ping.example.org',
      NGIP_STAGE_API_KEY: 'ngip_hand-set-key',
    })
    const aws = awsStandIn(byHand, deployedAccount())
    try {
      const stage = STAGE_LIST.filter((entry) => entry.name === 'stage-test')
      await runStages(aws.tools, byHand, stage)
      assert.deepEqual(aws.events, [
        'aws ssm GetParameter /ngip/stage-test/passed',
        'smoke https://stage.example.org https://ping.example.org key=***',
        'aws ssm PutParameter /ngip/stage-test/passed',
      ])
    } finally {
      aws.restore()
    }
  })

  test('a stage whose key secret is still the placeholder is not tested', async ({ assert }) => {
    const account = deployedAccount()
    account.secrets[JOBS_OUTPUTS.ApiKeySecretArn] = 'none yet'
    const aws = awsStandIn(config, account)
    try {
      const stage = STAGE_LIST.filter((entry) => entry.name === 'stage-test')
      const [result] = await runStages(aws.tools, config, stage)
      assert.equal(result.why, 'the API key secret of stage holds no key yet; deploy stage first')
      assert.notProperty(account.parameters, '/ngip/stage-test/passed')
    } finally {
      aws.restore()
    }
  })
})
