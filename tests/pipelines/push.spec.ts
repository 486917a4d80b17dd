import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { mockClient } from 'aws-sdk-client-mock'
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr'
import Docker from 'dockerode'
import { packContext } from '../../pipelines/lib/build_context.ts'
import { realTools } from '../../pipelines/lib/tools.ts'
import { pushImage } from '../../pipelines/steps/push.ts'
import { capturedLog, pipelineConfig } from './helpers/pipeline.ts'
import { type LocalRegistry, startRegistry } from './helpers/services.ts'
import { runId } from '../helpers/run_scope.ts'

const IMAGE = `localhost/ngip-push-test:${runId}`

/**
 * Stand-in for ECR's control plane: GetAuthorizationToken answers with a
 * token for the local registry. Everything after it (decoding, docker login
 * through the API, tagging, pushing) is the real code against a real registry.
 */
function ecrStandIn(registry: LocalRegistry, password: string) {
  const ecr = mockClient(ECRClient)
  ecr.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [
      {
        authorizationToken: Buffer.from(`AWS:${password}`).toString('base64'),
        proxyEndpoint: registry.url,
      },
    ],
  })
  return ecr
}

async function buildTinyImage() {
  const dir = mkdtempSync(join(tmpdir(), 'ngip-push-ctx-'))
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n')
  writeFileSync(join(dir, 'hello.txt'), `pushed at ${new Date().toISOString()}\n`)
  const { log } = capturedLog()
  const tools = realTools(pipelineConfig(['push']), log)
  try {
    await tools.docker.build({
      context: () => packContext(dir),
      contextLabel: dir,
      tag: IMAGE,
      dockerfile: 'Dockerfile',
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test.group('push to a registry with ECR credentials', (group) => {
  let registry: LocalRegistry
  const docker = new Docker()
  group.setup(async () => {
    registry = await startRegistry()
    await buildTinyImage()
    return async () => {
      registry.stop()
      for (const ref of [IMAGE, `${registry.host}/ngip:abc123`, `${registry.host}/ngip:wrong`]) {
        await docker
          .getImage(ref)
          .remove({ force: true })
          .catch(() => {})
      }
    }
  })

  test('pushes <registry>/ngip:<commit> and never logs the password', async ({ assert }) => {
    const ecr = ecrStandIn(registry, registry.password)
    try {
      const { log, output } = capturedLog()
      const tools = realTools(pipelineConfig(['push']), log)
      const pushed = await pushImage(tools, { image: IMAGE, repository: 'ngip', tag: 'abc123' })
      assert.equal(pushed.repo, `${registry.host}/ngip`)
      assert.match(pushed.digest, /^sha256:[0-9a-f]{64}$/)

      const auth = `Basic ${Buffer.from(`AWS:${registry.password}`).toString('base64')}`
      const tags = await fetch(`${registry.url}/v2/ngip/tags/list`, {
        headers: { authorization: auth },
      })
      assert.deepEqual(((await tags.json()) as { tags: string[] }).tags, ['abc123'])
      assert.include(output(), `push: ${registry.host}/ngip:abc123 sha256:`)
      assert.notInclude(output(), registry.password)
    } finally {
      ecr.restore()
    }
  })

  test("a wrong password fails the push with the registry's reason", async ({ assert }) => {
    const ecr = ecrStandIn(registry, 'not-the-password')
    try {
      const { log, output } = capturedLog()
      const tools = realTools(pipelineConfig(['push']), log)
      await assert.rejects(
        () => pushImage(tools, { image: IMAGE, repository: 'ngip', tag: 'wrong' }),
        /unauthorized|authentication required/
      )
      assert.notInclude(output(), 'not-the-password')
    } finally {
      ecr.restore()
    }
  })
})
