import { test } from '@japa/runner'
import { parseConfig } from '../../pipelines/config.ts'
import { readFacts } from '../../pipelines/lib/facts.ts'
import { runStages, printSummary } from '../../pipelines/lib/runner.ts'
import { planTools } from '../../pipelines/lib/tools.ts'
import { STAGE_LIST } from '../../pipelines/stages.ts'
import { capturedLog, pipelineConfig, root } from './helpers/pipeline.ts'

const HEAD = 'a1b2c3d4e5f6'.padEnd(40, '0')

/**
 * `all --dry-run` on this checkout as if HEAD were main's commit, or a
 * feature branch's (the prod gate reads git; prod_gate.spec.ts covers that).
 */
async function dryRun(branch: string) {
  const facts = { ...readFacts(root, process.env), branch, head: HEAD }
  const mainCommit = branch === 'main' ? HEAD : 'f'.repeat(40)
  const env = { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS }
  const config = parseConfig(['all', '--dry-run'], env, { ...facts, mainCommit })
  const { log, output } = capturedLog()
  const tools = planTools(config, log)
  const results = await runStages(tools, config, STAGE_LIST)
  printSummary(tools, results)
  return { config, results, lines: tools.plan!.lines, output: output() }
}

/** What a deploy plans, in order: the jobs stack, its migration and setup, then the rest. */
function deploy(env: string, tag: string) {
  const jobs = `ngip-${env}-jobs`
  return [
    new RegExp(`^\\$ pnpm infra deploy --env ${env} --image-tag ${tag} --yes ${jobs}$`),
    new RegExp(`^aws cloudformation DescribeStacks ${jobs} \\(outputs ClusterName, SubnetIds,`),
    new RegExp(`^aws ecs RunTask <${jobs}:MigrateTaskDefinitionArn> on <${jobs}:ClusterName>`),
    new RegExp(`^aws ecs DescribeTasks .*/<${jobs}:ClusterName>/.* until STOPPED$`),
    new RegExp(`^aws ecs RunTask <${jobs}:SetupTaskDefinitionArn>`),
    new RegExp(`^\\$ pnpm infra deploy --env ${env} --image-tag ${tag} --yes$`),
  ]
}

function firstIndex(lines: string[], pattern: RegExp) {
  return lines.findIndex((line) => pattern.test(line))
}

test.group('pipeline dry run', () => {
  test('plans every stage in order on main, prod included', async ({ assert }) => {
    const { config, results, lines, output } = await dryRun('main')
    assert.deepEqual(
      results.map((r) => `${r.name}:${r.result}`),
      STAGE_LIST.map((stage) => `${stage.name}:passed`)
    )
    const order = [
      /^\$ pnpm install --frozen-lockfile$/,
      /^\$ pnpm lint$/,
      /^\$ pnpm typecheck$/,
      /^\$ pnpm test unit$/,
      /^\$ pnpm test$/,
      /^docker build -t ngip:\w+ -f docker\/Dockerfile --build-arg BASE_IMAGE=node:24-bookworm-slim /,
      /^docker network create --internal ngip-test-/,
      /^docker run -d --name ngip-test-\S+-migrate .* setup --json$/,
      /^smoke web=http:\/\/127\.0\.0\.1:/,
      /^aws ecr GetAuthorizationToken/,
      new RegExp(`^docker push \\S+/ngip:${config.commit} `),
      ...deploy('stage', config.commit),
      /^smoke web=<ngip-stage-app:AppUrl> ping=<ngip-stage-ping:PingUrl> \((make|check) keeper\)$/,
      /^aws ssm PutParameter \/ngip\/stage-test\/passed \{"commit":"a1b2c3d4e5f6/,
      /^aws ssm GetParameter \/ngip\/stage-test\/passed$/,
      ...deploy('prod', config.commit),
      /^aws ssm PutParameter \/ngip\/prod\/release /,
      /^docker image prune/,
    ]
    // Each step found after the one before it: the plan holds them all, in this order.
    let from = 0
    for (const pattern of order) {
      const at = lines.slice(from).findIndex((line) => pattern.test(line))
      assert.notEqual(
        at,
        -1,
        `${pattern} missing after line ${from} of the plan:\n${lines.join('\n')}`
      )
      from += at + 1
    }
    assert.match(output, /^summary$|== summary/m)
    assert.match(output, /^prod\s+passed/m)
  })

  test('a feature branch plans the same without prod', async ({ assert }) => {
    const main = await dryRun('main')
    const feature = await dryRun('feature/x')
    const timeless = (lines: string[]) => lines.map((line) => line.replace(/"at":"[^"]+"/, ''))
    // prod's own lines: everything naming prod, and the gate's read of the stage-test pass.
    const withoutProd = main.lines.filter((line) => !/prod/.test(line))
    withoutProd.splice(withoutProd.lastIndexOf('aws ssm GetParameter /ngip/stage-test/passed'), 1)
    assert.isTrue(main.lines.some((line) => line.includes('--env prod')))
    assert.isFalse(feature.lines.some((line) => line.includes('--env prod')))
    assert.deepEqual(timeless(feature.lines), timeless(withoutProd))
    assert.equal(feature.results.find((r) => r.name === 'prod')?.result, 'skipped')
    assert.match(
      feature.output,
      /prod skipped: only from main's commit \(HEAD is a1b2c3d4e5f6 on feature\/x; main is ffffffffffff\)/
    )
  })

  test('stage alone plans the migration task before the services roll', async ({ assert }) => {
    const config = pipelineConfig(['stage', '--dry-run'])
    const { log, output } = capturedLog()
    const tools = planTools(config, log)
    await runStages(
      tools,
      config,
      STAGE_LIST.filter((stage) => stage.name === 'stage')
    )
    const lines = tools.plan!.lines
    const positions = deploy('stage', config.commit).map((pattern) => firstIndex(lines, pattern))
    assert.notInclude(positions, -1, lines.join('\n'))
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b)
    )
    assert.match(output(), /stage: setup runs when the API key secret holds no key yet/)
  })

  test('the deploy target is AWS unless NGIP_DEPLOY_TARGET names another known one', ({
    assert,
  }) => {
    assert.equal(pipelineConfig(['stage']).target, 'aws')
    assert.equal(pipelineConfig(['stage'], { NGIP_DEPLOY_TARGET: 'aws' }).target, 'aws')
    assert.throws(
      () => pipelineConfig(['stage'], { NGIP_DEPLOY_TARGET: 'mainframe' }),
      /NGIP_DEPLOY_TARGET must be one of aws/
    )
  })

  test('runs nothing: no container, image or network comes from a dry run', async ({ assert }) => {
    const { lines } = await dryRun('main')
    assert.isAbove(lines.length, 30)
    assert.isTrue(lines.every((line) => /^(\$ |docker |aws |smoke )/.test(line)))
  })

  test('local base images are planned when asked for', async ({ assert }) => {
    const config = pipelineConfig(['docker-build', '--dry-run', '--base-images', 'local'])
    const { log } = capturedLog()
    const tools = planTools(config, log)
    await runStages(
      tools,
      config,
      STAGE_LIST.filter((stage) => stage.name === 'docker-build')
    )
    const lines = tools.plan!.lines
    assert.isTrue(lines.some((line) => line.startsWith('$ debootstrap --variant=minbase bookworm')))
    assert.isTrue(
      lines.some(
        (line) =>
          line.startsWith('docker import ') && line.endsWith('localhost/ngip-debian:bookworm')
      )
    )
    assert.isTrue(lines.some((line) => /^docker build -t localhost\/ngip-node:24 /.test(line)))
    assert.isTrue(lines.some((line) => /BASE_IMAGE=localhost\/ngip-node:24/.test(line)))
    assert.isFalse(lines.some((line) => line.startsWith('docker pull')))
  })
})
