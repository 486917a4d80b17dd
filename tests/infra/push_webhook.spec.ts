import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { createHmac, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Template } from 'aws-cdk-lib/assertions'
import { BuildHostStack } from '../../infra/lib/stacks/build_host_stack.js'
import { newApp, testConfig } from './helpers.js'

const SECRET = 'bundle-test-secret'
const SHA = 'c0ffee0000000000000000000000000000c0ffee'

/** Calls the bundled handler once per event, in order, in a bare Node process. */
const INVOKE = `
const { handler } = require(process.env.BUNDLE)
;(async () => {
  const results = []
  for (const event of JSON.parse(process.env.EVENTS)) {
    const r = await handler(event)
    results.push([r.statusCode, r.body.trim()])
  }
  console.log(JSON.stringify(results))
})().catch((e) => { console.error(e); process.exit(1) })
`

/** The build host stack alone, with its webhook Lambda really bundled by esbuild. */
function bundled() {
  const app = newApp(['ngip-build-host'])
  const stack = new BuildHostStack(app, 'ngip-build-host', { account: testConfig().account })
  const outdir = app.synth().directory
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function')
  const fn = Object.values(functions).find(
    (resource) => resource.Properties.Environment?.Variables?.LAST_PUSH_PARAMETER
  )!
  const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')
  return { dir: join(outdir, `asset.${hash}`), env: fn.Properties.Environment.Variables }
}

function read(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    request.on('data', (chunk) => (text += chunk))
    request.on('end', () => resolve(text))
  })
}

/** What a call was about: its secret, delivery, parameter or group. */
function describe(target: string, body: string): string {
  if (target === 'SetDesiredCapacity') {
    const form = new URLSearchParams(body)
    return `${form.get('AutoScalingGroupName')} ${form.get('DesiredCapacity')}`
  }
  const input = JSON.parse(body)
  return input.SecretId ?? input.Name ?? input.Item?.delivery.S
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
  response.end(JSON.stringify(body))
}

/**
 * AWS stand-in on 127.0.0.1, at the wire: the four calls the webhook makes,
 * answered in each service's own protocol (JSON for Secrets Manager, DynamoDB
 * and SSM, query/XML for Auto Scaling), including DynamoDB's error for a
 * failed condition. No AWS is reachable from here.
 */
function awsStandIn() {
  const calls: string[] = []
  const deliveries = new Set<string>()
  const server = createServer(async (request, response) => {
    const body = await read(request)
    const target = String(
      request.headers['x-amz-target'] ?? new URLSearchParams(body).get('Action')
    )
    calls.push(`${target} ${describe(target, body)}`)
    if (target === 'secretsmanager.GetSecretValue') {
      return json(response, 200, { Name: 'ngip/push-webhook', SecretString: SECRET })
    }
    if (target === 'DynamoDB_20120810.PutItem') {
      const input = JSON.parse(body)
      const id = input.Item.delivery.S
      if (input.ConditionExpression === 'attribute_not_exists(delivery)' && deliveries.has(id)) {
        return json(response, 400, {
          __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
          message: 'The conditional request failed',
        })
      }
      deliveries.add(id)
      return json(response, 200, {})
    }
    if (target === 'AmazonSSM.PutParameter') {
      return json(response, 200, { Version: 1, Tier: 'Standard' })
    }
    if (target === 'SetDesiredCapacity') {
      response.writeHead(200, { 'content-type': 'text/xml' })
      return response.end(
        '<SetDesiredCapacityResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">' +
          '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SetDesiredCapacityResponse>'
      )
    }
    json(response, 400, { __type: 'UnknownOperationException', message: target })
  })
  return { server, calls }
}

function pushEvent(id: string, signature?: string) {
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    after: SHA,
    deleted: false,
    pusher: { name: 'alice' },
  })
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-github-delivery': id,
  }
  if (signature !== '') {
    headers['x-hub-signature-256'] =
      signature ?? `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`
  }
  return { version: '2.0', rawPath: '/webhook', headers, body, isBase64Encoded: false }
}

test.group('infra push webhook bundle', (group) => {
  let standIn: { server: Server; calls: string[] }
  group.each.setup(async () => {
    standIn = awsStandIn()
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve))
    return () => new Promise<void>((resolve) => standIn.server.close(() => resolve()))
  })

  test('the esbuild bundle runs alone: it verifies, refuses a replay and wakes the host', async ({
    assert,
  }) => {
    const { dir, env } = bundled()
    assert.equal(env.BUILD_HOST_GROUP, 'ngip-build-host')
    assert.isTrue(existsSync(join(dir, 'index.js')), dir)
    const { port } = standIn.server.address() as AddressInfo
    const id = randomUUID()
    const bad = `sha256=${'0'.repeat(64)}`
    const events = [pushEvent(id, ''), pushEvent(id, bad), pushEvent(id), pushEvent(id)]
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', INVOKE], {
      cwd: dir,
      env: {
        BUNDLE: join(dir, 'index.js'),
        EVENTS: JSON.stringify(events),
        LAST_PUSH_PARAMETER: '/ngip/build-host/last-push',
        BUILD_HOST_GROUP: 'ngip-build-host',
        WEBHOOK_SECRET_ID: 'ngip/push-webhook',
        DELIVERIES_TABLE: 'deliveries',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'AKIDSTANDIN',
        AWS_SECRET_ACCESS_KEY: 'stand-in',
      },
    })
    assert.deepEqual(JSON.parse(stdout.split('\n').findLast((line) => line.startsWith('['))!), [
      [401, 'missing X-Hub-Signature-256'],
      [401, 'bad signature'],
      [202, 'waking the build host: main at c0ffee0'],
      [409, `refused: delivery ${id} was already seen`],
    ])
    assert.deepEqual(standIn.calls, [
      'secretsmanager.GetSecretValue ngip/push-webhook',
      `DynamoDB_20120810.PutItem ${id}`,
      'AmazonSSM.PutParameter /ngip/build-host/last-push',
      'SetDesiredCapacity ngip-build-host 1',
      `DynamoDB_20120810.PutItem ${id}`,
    ])
  }).timeout(120_000)
})
