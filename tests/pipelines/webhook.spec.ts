import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { AutoScalingClient, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling'
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import type { WebhookConfig } from '../../pipelines/webhook/config.ts'
import { createWebhookHandler } from '../../pipelines/webhook/webhook.ts'

const SECRET = `whsec-${randomBytes(16).toString('hex')}`
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0)
const MAIN_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
const ZEROS = '0'.repeat(40)
const CONFIG: WebhookConfig = {
  secretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ngip-push-webhook-AbCdEf',
  deliveriesTable: 'ngip-push-webhook-deliveries',
  lastPushParameter: '/ngip/build-host/last-push',
  groupName: 'ngip-build-host',
  bodyLimit: 64 * 1024,
  replayWindowSeconds: 7 * 24 * 3600,
  secretCacheMs: 5 * 60_000,
}

/** AWS stand-ins (aws-sdk-client-mock): no AWS is reachable from here. */
const aws = {
  secrets: mockClient(SecretsManagerClient),
  dynamo: mockClient(DynamoDBClient),
  ssm: mockClient(SSMClient),
  autoscaling: mockClient(AutoScalingClient),
}

/**
 * A DynamoDB stand-in that keeps items and honours `attribute_not_exists` on
 * the key the way DynamoDB does, failing with the SDK's own exception type.
 */
function deliveriesTable() {
  const items = new Map<string, PutItemCommandInput['Item']>()
  aws.dynamo.on(PutItemCommand).callsFake(async (input: PutItemCommandInput) => {
    const key = input.Item!.delivery.S!
    if (input.ConditionExpression === 'attribute_not_exists(delivery)' && items.has(key)) {
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: { httpStatusCode: 400 },
      })
    }
    if (
      input.ConditionExpression &&
      input.ConditionExpression !== 'attribute_not_exists(delivery)'
    ) {
      throw new Error(`stand-in does not know the condition ${input.ConditionExpression}`)
    }
    items.set(key, input.Item)
    return {}
  })
  aws.dynamo.on(DeleteItemCommand).callsFake(async (input) => {
    items.delete(input.Key.delivery.S)
    return {}
  })
  return items
}

function sign(body: Buffer, secret = SECRET) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

function pushPayload(overrides: Record<string, unknown> = {}) {
  return {
    ref: 'refs/heads/main',
    before: 'f'.repeat(40),
    after: MAIN_SHA,
    created: false,
    deleted: false,
    pusher: { name: 'alice', email: 'alice@example.com' },
    repository: { full_name: 'acme/ngip', pushed_at: NOW / 1000 - 2 },
    head_commit: { id: MAIN_SHA, message: 'Fix the edge' },
    ...overrides,
  }
}

interface DeliveryOptions {
  event?: string
  id?: string
  /** A signature header; null leaves it out; default: the right one. */
  signature?: string | null
  base64?: boolean
  contentType?: string
}

/** An API Gateway HTTP API (payload 2.0) event as GitHub's delivery would make it. */
function delivery(payload: unknown, options: DeliveryOptions = {}): APIGatewayProxyEventV2 {
  const body = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload))
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/json',
    'user-agent': 'GitHub-Hookshot/abc1234',
    'x-github-event': options.event ?? 'push',
    'x-github-delivery': options.id ?? randomUUID(),
  }
  if (options.signature !== null) {
    headers['x-hub-signature-256'] = options.signature ?? sign(body)
  }
  return {
    version: '2.0',
    routeKey: 'POST /webhook',
    rawPath: '/webhook',
    rawQueryString: '',
    headers,
    body: body.toString(options.base64 ? 'base64' : 'utf8'),
    isBase64Encoded: options.base64 ?? false,
    requestContext: { http: { method: 'POST', path: '/webhook', sourceIp: '140.82.115.1' } },
  } as unknown as APIGatewayProxyEventV2
}

let logged: string[] = []
let now = NOW

function webhook() {
  const handler = createWebhookHandler(CONFIG, () => now)
  return async (event: APIGatewayProxyEventV2) => {
    const result = await handler(event)
    return { status: result.statusCode, text: String(result.body).trim() }
  }
}

function wakes() {
  return aws.autoscaling.commandCalls(SetDesiredCapacityCommand).map((call) => call.args[0].input)
}

function lastPushes() {
  return aws.ssm.commandCalls(PutParameterCommand).map((call) => call.args[0].input)
}

test.group(
  'push webhook (AWS stand-ins: Secrets Manager, DynamoDB, SSM, Auto Scaling)',
  (group) => {
    group.each.setup(() => {
      Object.values(aws).forEach((mock) => mock.reset())
      aws.secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET })
      aws.ssm.on(PutParameterCommand).resolves({ Version: 2 })
      aws.autoscaling.on(SetDesiredCapacityCommand).resolves({})
      logged = []
      now = NOW
      const { log, error } = console
      console.log = (line: string) => logged.push(line)
      console.error = (line: string) => logged.push(line)
      return () => {
        Object.assign(console, { log, error })
      }
    })
    group.teardown(() => Object.values(aws).forEach((mock) => mock.restore()))

    test('a signed push to main records the push and scales the build host to 1', async ({
      assert,
    }) => {
      const table = deliveriesTable()
      const id = randomUUID()
      const reply = await webhook()(delivery(pushPayload(), { id }))
      assert.deepEqual(reply, { status: 202, text: 'waking the build host: main at a1b2c3d' })
      assert.deepEqual(wakes(), [
        { AutoScalingGroupName: 'ngip-build-host', DesiredCapacity: 1, HonorCooldown: false },
      ])
      const [parameter] = lastPushes()
      assert.include(parameter, {
        Name: '/ngip/build-host/last-push',
        Type: 'String',
        Overwrite: true,
      })
      assert.deepEqual(JSON.parse(parameter.Value!), {
        ref: 'refs/heads/main',
        branch: 'main',
        after: MAIN_SHA,
        delivery: id,
        pusher: 'alice',
        at: '2026-11-30T12:00:00.000Z',
      })
      assert.equal(table.get(id)!.expiresAt.N, String(NOW / 1000 + CONFIG.replayWindowSeconds))
      assert.notInclude(logged.join('\n'), SECRET)
    })

    test('a signature made with another secret, or over another body, is a 401', async ({
      assert,
    }) => {
      deliveriesTable()
      const handler = webhook()
      const otherSecret = sign(Buffer.from(JSON.stringify(pushPayload())), 'not-the-secret')
      const otherBody = sign(Buffer.from(JSON.stringify(pushPayload({ ref: 'refs/heads/x' }))))
      const right = sign(Buffer.from(JSON.stringify(pushPayload())))
      const lastDigitFlipped = right.slice(0, -1) + (right.endsWith('0') ? '1' : '0')
      const malformed = ['sha256=abc', `sha1=${'0'.repeat(40)}`, `${right}00`]
      for (const signature of [otherSecret, otherBody, lastDigitFlipped, ...malformed]) {
        const reply = await handler(delivery(pushPayload(), { signature }))
        assert.deepEqual(reply, { status: 401, text: 'bad signature' }, signature)
      }
      assert.deepEqual(wakes(), [])
      assert.deepEqual(lastPushes(), [])
      assert.lengthOf(aws.dynamo.calls(), 0)
    })

    test('a delivery without a signature is a 401 before the secret is read', async ({
      assert,
    }) => {
      const reply = await webhook()(delivery(pushPayload(), { signature: null }))
      assert.deepEqual(reply, { status: 401, text: 'missing X-Hub-Signature-256' })
      assert.lengthOf(aws.secrets.calls(), 0)
      assert.deepEqual(wakes(), [])
    })

    test('a replayed delivery is refused with 409 and wakes the host only once', async ({
      assert,
    }) => {
      deliveriesTable()
      const handler = webhook()
      const id = randomUUID()
      const first = await handler(delivery(pushPayload(), { id }))
      assert.equal(first.status, 202)
      const replay = await handler(delivery(pushPayload(), { id }))
      assert.deepEqual(replay, { status: 409, text: `refused: delivery ${id} was already seen` })
      assert.lengthOf(wakes(), 1)
      assert.lengthOf(lastPushes(), 1)
    })

    test('a push older than the replay window is refused, whatever its delivery id', async ({
      assert,
    }) => {
      deliveriesTable()
      const old = pushPayload({
        repository: { pushed_at: NOW / 1000 - CONFIG.replayWindowSeconds - 60 },
      })
      const reply = await webhook()(delivery(old))
      assert.deepEqual(reply, {
        status: 409,
        text: 'refused: the push is older than the replay window',
      })
      assert.deepEqual(wakes(), [])
    })

    test('a push to another branch wakes the host too and records that branch', async ({
      assert,
    }) => {
      deliveriesTable()
      const sha = 'b'.repeat(40)
      const reply = await webhook()(
        delivery(pushPayload({ ref: 'refs/heads/feature/login', after: sha }))
      )
      assert.deepEqual(reply, {
        status: 202,
        text: 'waking the build host: feature/login at bbbbbbb',
      })
      assert.lengthOf(wakes(), 1)
      assert.include(JSON.parse(lastPushes()[0].Value!), {
        ref: 'refs/heads/feature/login',
        branch: 'feature/login',
        after: sha,
      })
    })

    test('a ping answers pong and wakes nothing', async ({ assert }) => {
      const ping = { zen: 'Keep it logically awesome.', hook_id: 1 }
      assert.deepEqual(await webhook()(delivery(ping, { event: 'ping' })), {
        status: 200,
        text: 'pong',
      })
      assert.deepEqual(wakes(), [])
      assert.lengthOf(aws.dynamo.calls(), 0)
    })

    test('a branch deletion, a tag and other events are ignored with their reason', async ({
      assert,
    }) => {
      const handler = webhook()
      const deletion = pushPayload({ ref: 'refs/heads/old', after: ZEROS, deleted: true })
      const tag = pushPayload({ ref: 'refs/tags/v1.0.0' })
      assert.deepEqual(await handler(delivery(deletion)), {
        status: 200,
        text: 'ignored: refs/heads/old was deleted',
      })
      assert.deepEqual(await handler(delivery(tag)), {
        status: 200,
        text: 'ignored: refs/tags/v1.0.0 is not a branch',
      })
      assert.deepEqual(await handler(delivery({ action: 'opened' }, { event: 'issues' })), {
        status: 200,
        text: 'ignored: issues events do not start a run',
      })
      assert.deepEqual(wakes(), [])
      assert.lengthOf(aws.dynamo.calls(), 0)
    })

    test('a base64-encoded body is verified over its decoded bytes', async ({ assert }) => {
      deliveriesTable()
      const payload = pushPayload({ pusher: { name: 'Zoë Ñandú' } })
      const reply = await webhook()(delivery(payload, { base64: true }))
      assert.equal(reply.status, 202)
      assert.equal(JSON.parse(lastPushes()[0].Value!).pusher, 'Zoë Ñandú')
    })

    test('signed bodies that are not JSON, too large or form-encoded get 400, 413, 415', async ({
      assert,
    }) => {
      const handler = webhook()
      assert.deepEqual(await handler(delivery('{"ref": ')), {
        status: 400,
        text: 'body is not JSON',
      })
      assert.deepEqual(await handler(delivery(pushPayload({ ref: 42 }))), {
        status: 400,
        text: 'push without a valid ref',
      })
      const big = pushPayload({ padding: 'x'.repeat(CONFIG.bodyLimit) })
      const tooLarge = await handler(delivery(big))
      assert.equal(tooLarge.status, 413)
      const form = `payload=${encodeURIComponent(JSON.stringify(pushPayload()))}`
      const reply = await handler(
        delivery(form, { contentType: 'application/x-www-form-urlencoded' })
      )
      assert.deepEqual(reply, {
        status: 415,
        text: 'set the webhook content type to application/json',
      })
      assert.deepEqual(wakes(), [])
    })

    test('a failed wake-up answers 502 and frees the delivery for GitHub redelivery', async ({
      assert,
    }) => {
      const table = deliveriesTable()
      aws.autoscaling
        .on(SetDesiredCapacityCommand)
        .rejectsOnce(new Error('Rate exceeded'))
        .resolves({})
      const handler = webhook()
      const id = randomUUID()
      const failed = await handler(delivery(pushPayload(), { id }))
      assert.deepEqual(failed, {
        status: 502,
        text: 'could not wake the build host; redeliver once fixed',
      })
      assert.isFalse(table.has(id))
      const redelivered = await handler(delivery(pushPayload(), { id }))
      assert.equal(redelivered.status, 202)
    })

    test('the secret is kept between deliveries of a warm container, then read again', async ({
      assert,
    }) => {
      deliveriesTable()
      const handler = webhook()
      await handler(delivery(pushPayload()))
      await handler(delivery({ zen: 'hi' }, { event: 'ping' }))
      const reads = () => aws.secrets.commandCalls(GetSecretValueCommand)
      assert.lengthOf(reads(), 1)
      assert.equal(reads()[0].args[0].input.SecretId, CONFIG.secretId)
      // A rotated secret is picked up once the cache expires.
      now += CONFIG.secretCacheMs + 1
      aws.secrets.on(GetSecretValueCommand).resolves({ SecretString: 'rotated' })
      const stale = await handler(delivery({ zen: 'hi' }, { event: 'ping' }))
      assert.deepEqual(stale, { status: 401, text: 'bad signature' })
      assert.lengthOf(reads(), 2)
    })
  }
)
