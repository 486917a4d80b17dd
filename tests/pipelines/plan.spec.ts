import { test } from '@japa/runner'
import { runStages, printSummary } from '../../pipelines/lib/runner.ts'
import { planTools } from '../../pipelines/lib/tools.ts'
import { STAGE_LIST } from '../../pipelines/stages.ts'
import { capturedLog, pipelineConfig } from './helpers/pipeline.ts'

async function dryRun(branch: string) {
  const config = pipelineConfig(['all', '--dry-run', '--branch', branch])
  const { log, output } = capturedLog()
  const tools = planTools(config, log)
  const results = await runStages(tools, config, STAGE_LIST)
  printSummary(tools, results)
  return { config, results, lines: tools.plan!.lines, output: output() }
}

/** The plan without the stack's per-run names, so two plans compare. */
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
      /^aws s3 PutObject s3:\/\/ngip-static\/app\.css/,
      /^\$ pnpm exec esbuild ping\/lambda\.ts --bundle/,
      new RegExp(`^aws s3 PutObject s3://ngip-artifacts/lambda/ping-${config.commit}\\.zip`),
      new RegExp(`^\\$ pnpm infra deploy --env stage --image-tag ${config.commit} --yes$`),
      /^smoke web=\$NGIP_STAGE_WEB_URL/,
      new RegExp(`^\\$ pnpm infra deploy --env prod --image-tag ${config.commit} --yes$`),
      /^docker image prune/,
    ]
    const positions = order.map((pattern) => firstIndex(lines, pattern))
    assert.notInclude(positions, -1, `missing from the plan:\n${lines.join('\n')}`)
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b)
    )
    assert.match(output, /^summary$|== summary/m)
    assert.match(output, /^prod\s+passed/m)
  })

  test('a feature branch plans the same without prod', async ({ assert }) => {
    const main = await dryRun('main')
    const feature = await dryRun('feature/x')
    const prod = (line: string) => line.includes('--env prod')
    assert.isTrue(main.lines.some(prod))
    assert.isFalse(feature.lines.some(prod))
    assert.deepEqual(
      feature.lines,
      main.lines.filter((line) => !prod(line))
    )
    assert.equal(feature.results.find((r) => r.name === 'prod')?.result, 'skipped')
    assert.match(feature.output, /prod skipped: only from main \(this is feature\/x\)/)
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
