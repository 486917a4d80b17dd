import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { type Clock, WebhookAws } from './aws.ts'
import type { WebhookConfig } from './config.ts'
import { readPush, type Push } from './push.ts'
import { answer, readRequest, toResult, type Answer, type WebhookRequest } from './request.ts'
import { signatureMatches } from './signature.ts'

interface Context {
  config: WebhookConfig
  aws: WebhookAws
  clock: Clock
}

const DELIVERY = /^[A-Za-z0-9-]{1,100}$/
const EVENT = /^[a-z_]{1,50}$/

function parseJson(body: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(body.toString('utf8')) }
  } catch {
    return undefined
  }
}

/** A GitHub delivery after its signature checked out. */
async function handleSigned(request: WebhookRequest, context: Context): Promise<Answer> {
  const event = request.headers['x-github-event'] ?? ''
  if (!EVENT.test(event)) {
    return answer(400, 'missing or invalid X-GitHub-Event')
  }
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    return answer(415, 'set the webhook content type to application/json')
  }
  if (event === 'ping') {
    return answer(200, 'pong')
  }
  if (event !== 'push') {
    return answer(200, `ignored: ${event} events do not start a run`)
  }
  const payload = parseJson(request.body)
  if (!payload) {
    return answer(400, 'body is not JSON')
  }
  const reading = readPush(payload.value)
  if (reading.kind !== 'push') {
    return reading.kind === 'invalid'
      ? answer(400, reading.reason)
      : answer(200, `ignored: ${reading.reason}`)
  }
  return handlePush(reading.push, request.headers['x-github-delivery'] ?? '', context)
}

/** Claims the delivery once, then records the push and wakes the build host. */
async function handlePush(push: Push, delivery: string, context: Context): Promise<Answer> {
  const { aws, config } = context
  const now = context.clock()
  if (!DELIVERY.test(delivery)) {
    return answer(400, 'missing or invalid X-GitHub-Delivery')
  }
  if (push.pushedAt !== undefined && now / 1000 - push.pushedAt > config.replayWindowSeconds) {
    return answer(409, 'refused: the push is older than the replay window')
  }
  if (!(await aws.claim(delivery, { ref: push.ref, after: push.after }))) {
    return answer(409, `refused: delivery ${delivery} was already seen`)
  }
  const { ref, branch, after, pusher } = push
  const at = new Date(now).toISOString()
  try {
    await aws.recordLastPush(JSON.stringify({ ref, branch, after, delivery, pusher, at }))
    await aws.wakeBuildHost()
  } catch (error) {
    console.error(`push webhook: could not wake the build host: ${String(error)}`)
    await aws.release(delivery).catch(() => {})
    return answer(502, 'could not wake the build host; redeliver once fixed')
  }
  return answer(202, `waking the build host: ${branch} at ${after.slice(0, 7)}`)
}

async function handle(event: APIGatewayProxyEventV2, context: Context): Promise<Answer> {
  const request = readRequest(event, context.config.bodyLimit)
  if ('status' in request) {
    return request
  }
  const signature = request.headers['x-hub-signature-256']
  if (!signature) {
    return answer(401, 'missing X-Hub-Signature-256')
  }
  if (!signatureMatches(await context.aws.secret(), request.body, signature)) {
    return answer(401, 'bad signature')
  }
  return handleSigned(request, context)
}

/**
 * The push webhook: a signed GitHub push of a branch wakes the build host,
 * once per delivery. One log line per request, never the secret or the body.
 */
export function createWebhookHandler(
  config: WebhookConfig,
  clock: Clock = Date.now,
  aws = new WebhookAws(config, clock)
) {
  const context = { config, aws, clock }
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    let reply: Answer
    try {
      reply = await handle(event, context)
    } catch (error) {
      console.error(`push webhook failed: ${String(error)}`)
      reply = answer(500, 'internal error, see the function log; redeliver once fixed')
    }
    const delivery = event.headers?.['x-github-delivery']?.slice(0, 100)
    console.log(JSON.stringify({ delivery, status: reply.status, message: reply.message }))
    return toResult(reply)
  }
}
