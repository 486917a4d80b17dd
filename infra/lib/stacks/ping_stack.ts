import { CfnOutput, Stack, type StackProps, Token } from 'aws-cdk-lib'
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2'
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import * as acm from 'aws-cdk-lib/aws-certificatemanager'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import type { Construct } from 'constructs'
import type { NgipConfig } from '../config.js'
import { allowIngress } from '../constructs/ingress.js'
import { createLogGroup, logSettings } from '../constructs/log_group.js'
import { PingFunction } from '../constructs/ping_function.js'
import type { RedisCluster } from '../constructs/redis_cluster.js'
import { acknowledge } from '../nag.js'
import { importZone } from '../zone.js'

export interface PingStackProps extends StackProps {
  config: NgipConfig
  vpc: ec2.IVpc
  redis: RedisCluster
}

/** Routes of the ping edge: UUID form, slug form, push API, health. */
export const PING_ROUTES = ['/ping/{proxy+}', '/{proxy+}', '/api/push/{proxy+}', '/health'] as const

/**
 * The ping edge: a Lambda behind an API Gateway HTTP API on its own domain
 * (ping.<domain>), throttled and access logged.
 */
export class PingStack extends Stack {
  readonly ping: PingFunction
  readonly domain: apigw.DomainName

  constructor(scope: Construct, id: string, props: PingStackProps) {
    super(scope, id, props)
    const { config, redis } = props
    this.ping = new PingFunction(this, 'Ping', { config, vpc: props.vpc, redis })
    this.connectToRedis(redis)
    this.domain = new apigw.DomainName(this, 'Domain', {
      domainName: config.dns.pingHost,
      certificate: new acm.Certificate(this, 'Certificate', {
        domainName: config.dns.pingHost,
        validation: acm.CertificateValidation.fromDns(importZone(this, config.dns)),
      }),
    })
    const api = new apigw.HttpApi(this, 'Api', {
      apiName: `${config.prefix}-ping`,
      createDefaultStage: false,
    })
    // Through the alias: a deploy shifts pings between versions, never $LATEST.
    const integration = new HttpLambdaIntegration('Edge', this.ping.alias)
    for (const path of PING_ROUTES) {
      api.addRoutes({ path, methods: [apigw.HttpMethod.ANY], integration })
    }
    this.defaultStage(api, config)
    acknowledge(api, {
      'AwsSolutions-APIG4':
        'Pings are public by design: the unguessable token UUID or ping key in the path is the credential.',
    })
    new CfnOutput(this, 'PingUrl', { value: `https://${config.dns.pingHost}` })
    new CfnOutput(this, 'ApiEndpoint', { value: api.apiEndpoint })
    new CfnOutput(this, 'PingFunctionName', { value: this.ping.fn.functionName })
  }

  private defaultStage(api: apigw.HttpApi, config: NgipConfig) {
    const accessLogs = createLogGroup(this, 'AccessLogs', logSettings(config))
    const stage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: config.ping.throttleRatePerSecond,
        burstLimit: config.ping.throttleBurst,
      },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    })
    new apigw.ApiMapping(this, 'DomainMapping', { api, domainName: this.domain, stage })
  }

  private connectToRedis(redis: RedisCluster) {
    const port = Token.asNumber(redis.port)
    allowIngress(this, 'PingToRedis', {
      target: redis.securityGroup,
      source: this.ping.securityGroup,
      port,
      description: 'Ping Lambda to Redis',
    })
    new ec2.CfnSecurityGroupEgress(this, 'PingEgressToRedis', {
      groupId: this.ping.securityGroup.securityGroupId,
      destinationSecurityGroupId: redis.securityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      description: 'Ping Lambda to Redis',
    })
  }
}
