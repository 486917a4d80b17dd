import { CfnOutput, Fn, SecretValue, Stack, type StackProps } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager'
import type { Construct } from 'constructs'
import { type AppRuntimeProps, releaseImage, roleTask } from '../app_environment.js'
import type { NgipConfig } from '../config.js'
import type { AppTask } from '../constructs/app_task.js'
import type { PostgresDatabase } from '../constructs/postgres_database.js'
import type { RedisCluster } from '../constructs/redis_cluster.js'
import { acknowledge } from '../nag.js'
import { allowData } from './app_stack.js'

export interface JobsStackProps extends StackProps {
  config: NgipConfig
  vpc: ec2.IVpc
  database: PostgresDatabase
  redis: RedisCluster
  appKey: AppRuntimeProps['appKey']
}

/** What the API key secret holds until the first deploy's setup task puts a key there. */
export const NO_API_KEY_YET = 'none yet: the first deploy puts the API key here'

/**
 * The one-off tasks of an environment, apart from its services so the
 * pipeline can deploy them with a new image, migrate, and only then roll the
 * services: the migrations task, the first setup (admin and the smoke tests'
 * API key, in Secrets Manager), their cluster and security group.
 */
export class JobsStack extends Stack {
  readonly adminSecret: secretsmanager.Secret
  readonly apiKeySecret: secretsmanager.Secret
  private readonly props: JobsStackProps
  private readonly image: ecs.ContainerImage

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props)
    this.props = props
    const { config, vpc } = props
    this.image = releaseImage(this, config)
    const cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      clusterName: `${config.prefix}-jobs`,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    })
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'One-off tasks (migrations, setup) run by the pipeline',
    })
    allowData(this, 'Jobs', securityGroup, props)
    this.adminSecret = this.secret(
      'Admin',
      'admin',
      'The first admin of ngip: sign-in email and password',
      {
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ email: `admin@${config.dns.appHost}` }),
          generateStringKey: 'password',
          passwordLength: 24,
          excludePunctuation: true,
        },
      }
    )
    this.apiKeySecret = this.secret('ApiKey', 'pipeline-api-key', "The smoke tests' API key", {
      secretStringValue: SecretValue.unsafePlainText(NO_API_KEY_YET),
    })
    const migrate = this.task('migrate')
    const setup = this.task('setup', [
      '--admin-secret',
      this.adminSecret.secretArn,
      '--api-key-secret',
      this.apiKeySecret.secretArn,
      '--api-key-name',
      `${config.envName}-test`,
    ])
    this.grantSetup(setup.taskDefinition.taskRole)
    this.outputs(cluster, securityGroup, { Migrate: migrate, Setup: setup })
  }

  private secret(
    id: string,
    name: string,
    description: string,
    value: Partial<secretsmanager.SecretProps>
  ) {
    const secret = new secretsmanager.Secret(this, `${id}Secret`, {
      secretName: `${this.props.config.prefix}/${name}`,
      description,
      ...value,
    })
    acknowledge(secret, {
      'AwsSolutions-SMG4':
        'Made once for the first deploy; the admin changes the password in ngip and revokes the key there.',
    })
    return secret
  }

  private task(role: 'migrate' | 'setup', args: string[] = []) {
    const { config, database, redis, appKey } = this.props
    const runtime: AppRuntimeProps = { config, database: database.instance, redis, appKey }
    return roleTask(this, role, { ...runtime, image: this.image, args })
  }

  /** Setup reads the admin's password and reads and writes the key secret, nothing more. */
  private grantSetup(role: iam.IRole) {
    this.adminSecret.grantRead(role)
    this.apiKeySecret.grantRead(role)
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:PutSecretValue'],
        resources: [this.apiKeySecret.secretArn],
      })
    )
  }

  private outputs(
    cluster: ecs.Cluster,
    securityGroup: ec2.SecurityGroup,
    tasks: Record<string, AppTask>
  ) {
    const subnets = this.props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS })
    new CfnOutput(this, 'ClusterName', { value: cluster.clusterName })
    new CfnOutput(this, 'SubnetIds', { value: Fn.join(',', subnets.subnetIds) })
    new CfnOutput(this, 'SecurityGroupId', { value: securityGroup.securityGroupId })
    for (const [name, task] of Object.entries(tasks)) {
      new CfnOutput(this, `${name}TaskDefinitionArn`, {
        value: task.taskDefinition.taskDefinitionArn,
      })
      new CfnOutput(this, `${name}LogGroupName`, { value: task.logGroup.logGroupName })
    }
    new CfnOutput(this, 'ApiKeySecretArn', { value: this.apiKeySecret.secretArn })
    new CfnOutput(this, 'AdminSecretName', { value: `${this.props.config.prefix}/admin` })
  }
}
