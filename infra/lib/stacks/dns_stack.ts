import { Stack, type StackProps } from 'aws-cdk-lib'
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2'
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import * as route53 from 'aws-cdk-lib/aws-route53'
import * as targets from 'aws-cdk-lib/aws-route53-targets'
import type { Construct } from 'constructs'
import type { NgipConfig } from '../config.js'
import { importZone } from '../zone.js'

export interface DnsStackProps extends StackProps {
  config: NgipConfig
  loadBalancer: elbv2.IApplicationLoadBalancer
  pingDomain: apigw.IDomainName
  /** The smtpd role's NLB: the MX of the ping host */
  mailLoadBalancer: elbv2.INetworkLoadBalancer
}

/**
 * Alias records of the environment in the existing hosted zone: the app
 * (ALB), the ping edge (API Gateway domain), and for email pings an MX on
 * the ping host pointing at `mx.<ping host>` (the smtpd role's NLB).
 */
export class DnsStack extends Stack {
  constructor(scope: Construct, id: string, props: DnsStackProps) {
    super(scope, id, props)
    const { dns } = props.config
    const zone = importZone(this, dns)
    const record = (name: string, host: string, target: route53.IAliasRecordTarget) =>
      new route53.ARecord(this, name, {
        zone,
        recordName: host,
        target: route53.RecordTarget.fromAlias(target),
      })
    record('App', dns.appHost, new targets.LoadBalancerTarget(props.loadBalancer))
    record(
      'Ping',
      dns.pingHost,
      new targets.ApiGatewayv2DomainProperties(
        props.pingDomain.regionalDomainName,
        props.pingDomain.regionalHostedZoneId
      )
    )
    const mailHost = `mx.${dns.pingHost}`
    record('Mail', mailHost, new targets.LoadBalancerTarget(props.mailLoadBalancer))
    new route53.MxRecord(this, 'PingMx', {
      zone,
      recordName: dns.pingHost,
      values: [{ priority: 10, hostName: mailHost }],
    })
  }
}
