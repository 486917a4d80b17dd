import { AutoScalingClient, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling'
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import type { WebhookConfig } from './config.ts'

export type Clock = () => number

/**
 * The webhook's AWS calls: the shared secret (kept between invocations of a
 * warm container), the delivery record, the last push and the wake-up.
 */
export class WebhookAws {
  readonly #secrets = new SecretsManagerClient({})
  readonly #dynamo = new DynamoDBClient({})
  readonly #ssm = new SSMClient({})
  readonly #autoscaling = new AutoScalingClient({})
  #secret?: { value: Promise<string>; readAt: number }

  constructor(
    private config: WebhookConfig,
    private clock: Clock = Date.now
  ) {}

  secret(): Promise<string> {
    const now = this.clock()
    if (!this.#secret || now - this.#secret.readAt > this.config.secretCacheMs) {
      const value = this.readSecret()
      // A failed read is not cached: the next delivery tries again.
      value.catch(() => {
        if (this.#secret?.value === value) {
          this.#secret = undefined
        }
      })
      this.#secret = { value, readAt: now }
    }
    return this.#secret.value
  }

  private async readSecret(): Promise<string> {
    const output = await this.#secrets.send(
      new GetSecretValueCommand({ SecretId: this.config.secretId })
    )
    if (output.SecretString === undefined) {
      throw new Error('The webhook secret has no string value')
    }
    return output.SecretString
  }

  /**
   * Records a delivery id unless it is already there; false for a replay.
   * The condition makes DynamoDB the judge, so concurrent copies race safely.
   */
  async claim(delivery: string, details: Record<string, string>): Promise<boolean> {
    const expiresAt = Math.floor(this.clock() / 1000) + this.config.replayWindowSeconds
    const item: Record<string, { S: string } | { N: string }> = {
      delivery: { S: delivery },
      expiresAt: { N: String(expiresAt) },
    }
    for (const [key, value] of Object.entries(details)) {
      item[key] = { S: value }
    }
    try {
      await this.#dynamo.send(
        new PutItemCommand({
          TableName: this.config.deliveriesTable,
          Item: item,
          ConditionExpression: 'attribute_not_exists(delivery)',
        })
      )
      return true
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return false
      }
      throw error
    }
  }

  /** Forgets a delivery whose wake-up failed, so that GitHub's redelivery is not refused. */
  async release(delivery: string): Promise<void> {
    await this.#dynamo.send(
      new DeleteItemCommand({
        TableName: this.config.deliveriesTable,
        Key: { delivery: { S: delivery } },
      })
    )
  }

  async recordLastPush(value: string): Promise<void> {
    await this.#ssm.send(
      new PutParameterCommand({
        Name: this.config.lastPushParameter,
        Value: value,
        Type: 'String',
        Overwrite: true,
      })
    )
  }

  /** Scales the build host's group to one; a no-op when it already runs. */
  async wakeBuildHost(): Promise<void> {
    await this.#autoscaling.send(
      new SetDesiredCapacityCommand({
        AutoScalingGroupName: this.config.groupName,
        DesiredCapacity: 1,
        HonorCooldown: false,
      })
    )
  }
}
