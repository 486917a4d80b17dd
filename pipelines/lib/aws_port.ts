import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2'
import { AutoScalingClient, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling'
import type { RegistryAuth } from './docker_port.ts'
import type { Secrets } from './secrets.ts'

export interface AwsSettings {
  region: string
  /** Another S3 endpoint (path-style), e.g. a local S3 server. */
  s3Endpoint?: string
  s3Credentials?: { accessKeyId: string; secretAccessKey: string }
  /** IMDSv2 base URL, for the build host's own instance id. */
  imdsEndpoint: string
}

/**
 * The AWS API calls the pipeline makes itself (deploys go through the
 * `pnpm infra` command). Real clients here; the dry run records the calls
 * (aws_plan.ts).
 */
export interface AwsPort {
  /** ECR GetAuthorizationToken, decoded into Docker registry credentials. */
  ecrAuthorization(): Promise<RegistryAuth>
  /** PutObject; the body is read only when the call is really made. */
  s3Put(
    bucket: string,
    key: string,
    body: () => Promise<Buffer>,
    contentType: string
  ): Promise<void>
  instanceId(): Promise<string>
  stopInstance(instanceId: string): Promise<void>
  /** Scales an Auto Scaling group in to zero (its warm pool keeps the instance stopped). */
  scaleIn(group: string): Promise<void>
}

/** `base64(user:password)` + proxy endpoint → Docker's auth config; the password is masked. */
export function decodeEcrToken(
  token: string,
  proxyEndpoint: string,
  secrets: Secrets
): RegistryAuth {
  const decoded = Buffer.from(token, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const auth = {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    serveraddress: new URL(proxyEndpoint).host,
  }
  secrets.add(auth.password, token)
  return auth
}

export function awsClients(settings: AwsSettings, secrets: Secrets): AwsPort {
  const { region } = settings
  return {
    async ecrAuthorization() {
      const ecr = new ECRClient({ region })
      const answer = await ecr.send(new GetAuthorizationTokenCommand({}))
      const data = answer.authorizationData?.[0]
      if (!data?.authorizationToken || !data.proxyEndpoint) {
        throw new Error('ECR returned no authorization token')
      }
      return decodeEcrToken(data.authorizationToken, data.proxyEndpoint, secrets)
    },
    async s3Put(bucket, key, body, contentType) {
      const s3 = new S3Client({
        region,
        endpoint: settings.s3Endpoint,
        forcePathStyle: Boolean(settings.s3Endpoint),
        credentials: settings.s3Credentials,
      })
      const Body = await body()
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body, ContentType: contentType })
      )
    },
    async instanceId() {
      const token = await fetch(`${settings.imdsEndpoint}/latest/api/token`, {
        method: 'PUT',
        headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
        signal: AbortSignal.timeout(2000),
      }).then((response) => response.text())
      const answer = await fetch(`${settings.imdsEndpoint}/latest/meta-data/instance-id`, {
        headers: { 'x-aws-ec2-metadata-token': token },
        signal: AbortSignal.timeout(2000),
      })
      const id = await answer.text()
      return id.trim()
    },
    async stopInstance(instanceId) {
      await new EC2Client({ region }).send(new StopInstancesCommand({ InstanceIds: [instanceId] }))
    },
    async scaleIn(group) {
      await new AutoScalingClient({ region }).send(
        new SetDesiredCapacityCommand({ AutoScalingGroupName: group, DesiredCapacity: 0 })
      )
    },
  }
}
