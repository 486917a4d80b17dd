import { Aws } from 'aws-cdk-lib'

const VALUES = {
  iam: { partition: Aws.PARTITION, region: Aws.REGION, account: Aws.ACCOUNT_ID },
  nag: { partition: '<AWS::Partition>', region: '<AWS::Region>', account: '<AWS::AccountId>' },
}

/**
 * Fills the {partition}, {region} and {account} placeholders of an ARN or
 * name pattern, either with deploy-time tokens (`iam`) or the way cdk-nag
 * spells them in finding ids (`nag`).
 */
export function renderPattern(pattern: string, form: keyof typeof VALUES): string {
  const values: Record<string, string> = VALUES[form]
  return pattern.replace(/\{(partition|region|account)\}/g, (_, key: string) => values[key])
}
