import { Validations } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'

/**
 * Acknowledges cdk-nag AwsSolutions findings on a construct and everything
 * below it, each with the reason it is accepted. Keys are finding ids such
 * as `AwsSolutions-IAM5[Resource::*]`.
 */
export function acknowledge(scope: IConstruct, findings: Record<string, string>) {
  for (const [id, reason] of Object.entries(findings)) {
    Validations.of(scope).acknowledge({ id: `AwsSolutions::${id}`, reason })
  }
}
