import * as route53 from 'aws-cdk-lib/aws-route53'
import type { Construct } from 'constructs'
import type { DnsConfig } from './config.js'

/**
 * The existing hosted zone, from its id and name: no lookup at synth time.
 */
export function importZone(scope: Construct, dns: DnsConfig): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', {
    hostedZoneId: dns.zoneId,
    zoneName: dns.zoneName,
  })
}
