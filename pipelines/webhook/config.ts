/** What the push webhook needs to know, from the Lambda's environment. */
export interface WebhookConfig {
  /** ARN (or name) of the Secrets Manager secret shared with GitHub. */
  secretId: string
  /** DynamoDB table of seen delivery ids (partition key `delivery`, TTL `expiresAt`). */
  deliveriesTable: string
  /** SSM parameter that holds the last push, for the build host's agent. */
  lastPushParameter: string
  /** Auto Scaling group of the build host. */
  groupName: string
  /** Largest body accepted, in bytes. */
  bodyLimit: number
  /**
   * How long a delivery id is remembered, in seconds. GitHub lets a person
   * redeliver for up to 7 days (Enterprise Server; 3 on github.com), and a
   * push older than this is refused as stale, so no replay outlives its record.
   */
  replayWindowSeconds: number
  /** How long the secret is reused before it is read again (rotation). */
  secretCacheMs: number
}

export const WEBHOOK_DEFAULTS = {
  // Below the 6 MB Lambda payload once base64-encoded; big pushes list up to 2048 commits.
  bodyLimit: 4 * 1024 * 1024,
  replayWindowSeconds: 7 * 24 * 3600,
  secretCacheMs: 5 * 60_000,
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name]
  if (!value) {
    throw new Error(`The push webhook needs ${name}`)
  }
  return value
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') {
    return fallback
  }
  const number = Number(value)
  if (!Number.isInteger(number) || number <= 0) {
    throw new Error(`${name} must be a positive integer, got "${value}"`)
  }
  return number
}

/** Reads the configuration once; a missing setting fails the cold start. */
export function loadWebhookConfig(env: Record<string, string | undefined>): WebhookConfig {
  return {
    secretId: required(env, 'WEBHOOK_SECRET_ID'),
    deliveriesTable: required(env, 'DELIVERIES_TABLE'),
    lastPushParameter: required(env, 'LAST_PUSH_PARAMETER'),
    groupName: required(env, 'BUILD_HOST_GROUP'),
    bodyLimit: positive(env.WEBHOOK_BODY_LIMIT, WEBHOOK_DEFAULTS.bodyLimit, 'WEBHOOK_BODY_LIMIT'),
    replayWindowSeconds: positive(
      env.REPLAY_WINDOW_SECONDS,
      WEBHOOK_DEFAULTS.replayWindowSeconds,
      'REPLAY_WINDOW_SECONDS'
    ),
    secretCacheMs: WEBHOOK_DEFAULTS.secretCacheMs,
  }
}
