import { test } from '@japa/runner'
import { AwsTarget } from '../../pipelines/aws/aws_target.ts'
import type { PipelineConfig } from '../../pipelines/config.ts'
import { runStages } from '../../pipelines/lib/runner.ts'
import { planTools } from '../../pipelines/lib/tools.ts'
import { STAGE_LIST } from '../../pipelines/stages.ts'
import { releaseOf } from '../../pipelines/steps/deploy.ts'
import { awsStandIn, deployedAccount, type FakeAccount } from './helpers/aws_stand_in.ts'
import { gitCheckout } from './helpers/git_checkout.ts'
import { capturedLog } from './helpers/pipeline.ts'

const PROD = STAGE_LIST.filter((stage) => stage.name === 'prod')
const PASS = '/ngip/stage-test/passed'

/** The prod stage in a dry run: skipped or planned, and what it planned. */
async function planProd(config: PipelineConfig) {
  const { log } = capturedLog()
  const tools = planTools(config, log)
  const [result] = await runStages(tools, config, PROD)
  return { result, lines: tools.plan!.lines }
}

/** What became of prod in a dry run: passed or skipped. */
async function prodOutcome(config: PipelineConfig) {
  const { result } = await planProd(config)
  return result.result
}

/** The prod stage for real against a fake account (AWS stand-in). */
async function runProd(config: PipelineConfig, account: FakeAccount) {
  const aws = awsStandIn(config, account)
  try {
    const [result] = await runStages(aws.tools, config, PROD)
    return { result, events: aws.events, output: aws.output() }
  } finally {
    aws.restore()
  }
}

function passFor(config: PipelineConfig, change: { commit?: string; image?: string } = {}) {
  const { commit, image } = releaseOf(config)
  return JSON.stringify({ commit, image, at: '2026-12-01T10:00:00.000Z', ...change })
}

test.group('prod gate: the branch comes from git', (group) => {
  let checkout: ReturnType<typeof gitCheckout>
  group.each.setup(() => {
    checkout = gitCheckout()
    return () => checkout.remove()
  })

  test('a feature checkout has no prod, even with --branch main or BRANCH_NAME=main', async ({
    assert,
  }) => {
    checkout.git('checkout', '-q', '-b', 'feature/x')
    const head = checkout.commit('Work on a feature')
    for (const config of [
      checkout.config(['all', '--dry-run', '--branch', 'main']),
      (checkout.git('checkout', '-q', '--detach', head),
      checkout.config(['all', '--dry-run'], { BRANCH_NAME: 'main' })),
    ]) {
      assert.equal(config.branch, 'main', 'the branch is shown as given')
      const { result, lines } = await planProd(config)
      assert.equal(result.result, 'skipped')
      assert.match(
        result.why!,
        /^only from main's commit \(HEAD is [0-9a-f]{12} on main; main is [0-9a-f]{12}\)$/
      )
      assert.isFalse(lines.some((line) => line.includes('--env prod')))
    }
  })

  test("main's commit has prod, also checked out detached (CI)", async ({ assert }) => {
    const main = checkout.git('rev-parse', 'HEAD')
    assert.equal(await prodOutcome(checkout.config(['prod', '--dry-run'])), 'passed')
    checkout.git('checkout', '-q', '--detach', main)
    const { result, lines } = await planProd(checkout.config(['prod', '--dry-run']))
    assert.equal(result.result, 'passed')
    assert.isTrue(lines.some((line) => line.includes('--env prod')))
  })

  test("origin's main wins over a local main that is behind or ahead", async ({ assert }) => {
    const local = checkout.git('rev-parse', 'HEAD')
    checkout.commit('A commit on main not pushed yet')
    checkout.git('update-ref', 'refs/remotes/origin/main', local)
    const config = checkout.config(['prod', '--dry-run'])
    assert.equal(config.mainCommit, local)
    assert.equal(await prodOutcome(config), 'skipped')
    checkout.git('checkout', '-q', '--detach', local)
    assert.equal(await prodOutcome(checkout.config(['prod', '--dry-run'])), 'passed')
  })
})

test.group('prod gate: only what stage-test passed (AWS stand-in)', (group) => {
  let checkout: ReturnType<typeof gitCheckout>
  let config: PipelineConfig
  group.each.setup(() => {
    checkout = gitCheckout()
    checkout.commit('Add the pings page')
    config = checkout.config(['prod'])
    return () => checkout.remove()
  })

  test('prod with {case} is refused in one line, nothing deployed')
    .with([
      {
        case: 'no pass recorded',
        pass: undefined,
        why: /^refused: no stage-test pass is recorded; run stage and stage-test for [0-9a-f]{12} first$/,
      },
      {
        case: 'a pass for another commit',
        pass: { commit: 'f'.repeat(40) },
        why: /^refused: stage-test last passed for ffffffffffff, not for [0-9a-f]{12};/,
      },
      {
        case: 'a pass for another image',
        pass: { image: 'elsewhere/ngip:x' },
        why: /^refused: stage-test passed for the image elsewhere\/ngip:x/,
      },
      {
        case: 'an unreadable record',
        pass: 'garbage',
        why: /^refused: no stage-test pass is recorded/,
      },
    ])
    .run(async ({ assert }, { pass, why }) => {
      const account = deployedAccount()
      if (pass) {
        account.parameters[PASS] = typeof pass === 'string' ? pass : passFor(config, pass)
      }
      const { result, events, output } = await runProd(config, account)
      assert.equal(result.result, 'failed')
      assert.match(result.why!, why)
      assert.deepEqual(events, [`aws ssm GetParameter ${PASS}`])
      assert.lengthOf(
        output.split('\n').filter((line) => line.startsWith('pipeline: prod failed')),
        1
      )
    })

  test("main's commit with a pass deploys, after saying which image and commit", async ({
    assert,
  }) => {
    const account = deployedAccount()
    account.parameters[PASS] = passFor(config)
    const { result, events, output } = await runProd(config, account)
    assert.equal(result.result, 'passed', result.why)
    const release = releaseOf(config)
    assert.include(output, `prod: deploying ${release.image}\n`)
    assert.include(output, `prod: from commit ${config.head} "Add the pings page"\n`)
    const said = output.indexOf('prod: deploying')
    const firstDeploy = output.indexOf('$ pnpm infra deploy --env prod')
    assert.isAbove(firstDeploy, said)
    assert.include(
      events,
      `$ pnpm infra deploy --env prod --image-tag ${release.tag} --yes ngip-prod-jobs`
    )
    assert.include(events, `$ pnpm infra deploy --env prod --image-tag ${release.tag} --yes`)
    assert.deepInclude(JSON.parse(account.parameters['/ngip/prod/release']), release)
  })

  test('rollback redeploys the prod release before the last one, without migrating', async ({
    assert,
  }) => {
    const account = deployedAccount()
    const target = new AwsTarget({ pollMs: 1 })
    const first = releaseOf(config)
    const aws = awsStandIn(config, account)
    try {
      await target.deploy(aws.tools, 'prod', first)
      const second = {
        ...first,
        commit: 'e'.repeat(40),
        tag: 'eeeeeeeeeeee',
        image: 'r/ngip:eeeeeeeeeeee',
      }
      await target.deploy(aws.tools, 'prod', second)
      aws.events.length = 0
      await target.rollback(aws.tools, 'prod')
      assert.deepEqual(
        aws.events.filter((line) => !line.startsWith('aws ssm')),
        [`$ pnpm infra deploy --env prod --image-tag ${first.tag} --yes`]
      )
      assert.deepInclude(JSON.parse(account.parameters['/ngip/prod/release']), first)
      assert.deepInclude(JSON.parse(account.parameters['/ngip/prod/previous-release']), second)
      await assert.rejects(() => target.rollback(aws.tools, 'stage'), /rollback on AWS is for prod/)
    } finally {
      aws.restore()
    }
  })
})
