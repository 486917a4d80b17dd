import { EC2Client } from '@aws-sdk/client-ec2'

/**
 * Whether the SDK's default provider chain (environment, profile, SSO,
 * instance role, ...) yields credentials, as the CDK CLI would find them.
 */
export async function hasAwsCredentials(): Promise<boolean> {
  const client = new EC2Client({})
  try {
    await client.config.credentials()
    return true
  } catch {
    return false
  } finally {
    client.destroy()
  }
}
