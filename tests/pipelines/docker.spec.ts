import { test } from '@japa/runner'
import Docker from 'dockerode'
import { runStages } from '../../pipelines/lib/runner.ts'
import { realTools } from '../../pipelines/lib/tools.ts'
import { STAGE_LIST } from '../../pipelines/stages.ts'
import { baseImages } from '../../pipelines/steps/base_images.ts'
import { cleanup } from '../../pipelines/steps/deploy.ts'
import { baseImageConfig } from '../../pipelines/steps/docker.ts'
import { STACK_LABEL, upStack } from '../../pipelines/steps/stack_run.ts'
import { capturedLog, pipelineConfig } from './helpers/pipeline.ts'
import { runId } from '../helpers/run_scope.ts'

const docker = new Docker()

async function leftovers(name: string) {
  const filters = { label: [`${STACK_LABEL}=${name}`] }
  const containers = await docker.listContainers({ all: true, filters })
  const networks = await docker.listNetworks({ filters })
  return containers.length + networks.length
}

/** The end of a run's output, for a failure message. */
function tail(text: string) {
  return text.slice(-4000)
}

test.group('docker-build and docker-test on a real Docker engine', () => {
  test('docker-test builds the image and the containerised stack answers a ping', async ({
    assert,
  }) => {
    const config = pipelineConfig(['docker-test'])
    const { log, output } = capturedLog()
    const tools = realTools(config, log)
    const stages = STAGE_LIST.filter((stage) =>
      ['docker-build', 'docker-test'].includes(stage.name)
    )
    const results = await runStages(tools, config, stages)
    assert.deepEqual(
      results.map((result) => result.result),
      ['passed', 'passed'],
      tail(output())
    )
    assert.include(output(), 'smoke: the ping is visible in the API')
    assert.match(output(), /smoke: http:\/\/127\.0\.0\.1:\d+\/ping\/[0-9a-f-]{36} answered OK/)
    const name = /docker run -d --name (ngip-test-\S+)-postgres/.exec(output())?.[1]
    // This run's stack (named with this process' id), not another run's that may be up now.
    assert.equal(await leftovers(`ngip-test-${config.commit.slice(0, 7)}-${process.pid}`), 0)
    assert.isUndefined(name, 'a real run prints no plan lines')
  })

  test('the image runs every role as a non-root user, with a health check', async ({ assert }) => {
    const config = pipelineConfig(['docker-build'])
    const info = await docker.getImage(`${config.image.name}:${config.image.tag}`).inspect()
    assert.equal(info.Config.User, 'node')
    assert.deepEqual(info.Config.Healthcheck?.Test, ['CMD', 'node', '/app/docker/healthcheck.mjs'])
    assert.deepEqual(info.Config.Entrypoint, ['/bin/sh', '/app/docker/entrypoint.sh'])
    assert.deepEqual(info.Config.Cmd, ['web'])
    assert.include(info.Config.Env, 'NODE_ENV=production')
  })

  test('a stack that cannot start shows its logs and leaves nothing behind', async ({ assert }) => {
    const config = pipelineConfig(['docker-test'])
    const { log, output } = capturedLog()
    const tools = realTools(config, log)
    const { postgres, redis } = await baseImages(tools, baseImageConfig(config), [
      'postgres',
      'redis',
    ])
    const name = `ngip-test-broken-${process.pid}`
    // The Redis image has no `setup` command: the one-shot fails at once.
    const images = { app: redis!, postgres: postgres!, redis: redis! }
    await assert.rejects(
      () => upStack(tools, { name, images, timeoutMs: 60_000 }),
      /migrate exited with 127/
    )
    assert.include(output(), `--- logs of ${name}-migrate`)
    assert.include(output(), `--- logs of ${name}-postgres`)
    assert.equal(await leftovers(name), 0)
  })

  test('cleanup removes what runs left behind and older builds, and keeps this one', async ({
    assert,
    cleanup: cleanupAfter,
  }) => {
    const config = pipelineConfig(['cleanup'])
    // This run's own leftover label and image repository: cleanup here never touches another run's.
    const leftover = `leftover-${runId}`
    const image = { name: `localhost/ngip-cleanup-test-${runId}`, tag: 'current' }
    const built = `${config.image.name}:${config.image.tag}`
    await docker.createNetwork({
      Name: `ngip-test-${leftover}`,
      Labels: { [STACK_LABEL]: leftover },
    })
    await docker.getImage(built).tag({ repo: image.name, tag: image.tag })
    await docker.getImage(built).tag({ repo: image.name, tag: 'older-build' })
    cleanupAfter(async () => {
      await docker
        .getImage(`${image.name}:${image.tag}`)
        .remove()
        .catch(() => {})
    })
    const { log, output } = capturedLog()
    await cleanup(realTools(config, log), `${STACK_LABEL}=${leftover}`, {
      destroyStage: false,
      image,
    })
    assert.equal(await leftovers(leftover), 0)
    await assert.rejects(() => docker.getImage(`${image.name}:older-build`).inspect())
    const kept = await docker.getImage(`${image.name}:${image.tag}`).inspect()
    assert.include(kept.RepoTags, `${image.name}:${image.tag}`)
    const stillBuilt = await docker.getImage(built).inspect()
    assert.include(stillBuilt.RepoTags, built)
    assert.match(output(), /cleanup: 1 containers and networks, 1 older builds/)
  })
})
