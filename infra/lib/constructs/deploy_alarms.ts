import { Duration } from 'aws-cdk-lib'
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import type { Construct } from 'constructs'

/** Error share above which a deploy rolls back, in percent. */
export const ROLLBACK_ERROR_PERCENT = 5

/**
 * Below this many requests a minute, errors are counted against this many:
 * two failed health probes on a quiet stage are not a 100% error rate.
 */
const QUIET_MINUTE_REQUESTS = 20

const MINUTE = Duration.minutes(1)

export interface RollbackAlarmProps {
  /** Physical name: what the console, the CLI and infra/README.md call it. */
  alarmName: string
  metric: cloudwatch.IMetric
  threshold: number
  description: string
}

/**
 * An alarm a deploy watches to roll itself back: two bad minutes in a row,
 * no data is no evidence. It notifies nobody; the observability stack does.
 */
export function rollbackAlarm(scope: Construct, id: string, props: RollbackAlarmProps) {
  return new cloudwatch.Alarm(scope, id, {
    alarmName: props.alarmName,
    alarmDescription: props.description,
    metric: props.metric,
    threshold: props.threshold,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  })
}

/**
 * Percent of `requests` that failed, per minute. Error counts are only
 * published when non-zero, hence the FILLs.
 */
export function errorPercent(
  label: string,
  errors: Record<string, cloudwatch.IMetric>,
  requests: cloudwatch.IMetric
) {
  const failed = Object.keys(errors)
    .map((name) => `FILL(${name}, 0)`)
    .join(' + ')
  const floor = QUIET_MINUTE_REQUESTS
  return new cloudwatch.MathExpression({
    label,
    expression: `100 * (${failed}) / IF(FILL(requests, 0) < ${floor}, ${floor}, FILL(requests, 0))`,
    usingMetrics: { ...errors, requests },
    period: MINUTE,
  })
}

export interface WebRollbackAlarmsProps {
  namePrefix: string
  loadBalancer: elbv2.ApplicationLoadBalancer
  /** Blue and green: they trade places on every deploy, so both are watched. */
  targetGroups: elbv2.ApplicationTargetGroup[]
}

/**
 * What rolls a web deploy back: 5xx answers (from the app, or from the load
 * balancer when green drops connections), and targets failing health checks.
 */
export function webRollbackAlarms(scope: Construct, props: WebRollbackAlarmsProps) {
  const { loadBalancer, targetGroups } = props
  const count = { period: MINUTE, statistic: cloudwatch.Stats.SUM }
  const errors = errorPercent(
    'web 5xx %',
    {
      app5xx: loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, count),
      alb5xx: loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, count),
    },
    loadBalancer.metrics.requestCount(count)
  )
  const unhealthy = Object.fromEntries(
    targetGroups.map((group, index) => [
      `group${index}`,
      group.metrics.unhealthyHostCount({ period: MINUTE, statistic: cloudwatch.Stats.MAXIMUM }),
    ])
  )
  return [
    rollbackAlarm(scope, 'Rollback5xx', {
      alarmName: `${props.namePrefix}-web-5xx-rate`,
      metric: errors,
      threshold: ROLLBACK_ERROR_PERCENT,
      description: `Web answers 5xx to ${ROLLBACK_ERROR_PERCENT}% of requests: a web deploy rolls back`,
    }),
    rollbackAlarm(scope, 'RollbackUnhealthy', {
      alarmName: `${props.namePrefix}-web-unhealthy-targets`,
      metric: new cloudwatch.MathExpression({
        label: 'unhealthy web targets',
        expression: `MAX([${Object.keys(unhealthy).join(', ')}])`,
        usingMetrics: unhealthy,
        period: MINUTE,
      }),
      threshold: 1,
      description: 'A web task fails its load balancer health check: a web deploy rolls back',
    }),
  ]
}

/** What rolls a ping deploy back: invocations through the alias that throw. */
export function pingRollbackAlarm(scope: Construct, namePrefix: string, alias: lambda.Alias) {
  const count = { period: MINUTE, statistic: cloudwatch.Stats.SUM }
  return rollbackAlarm(scope, 'RollbackErrors', {
    alarmName: `${namePrefix}-ping-errors`,
    metric: errorPercent(
      'ping errors %',
      { errors: alias.metricErrors(count) },
      alias.metricInvocations(count)
    ),
    threshold: ROLLBACK_ERROR_PERCENT,
    description: `The ping Lambda throws for ${ROLLBACK_ERROR_PERCENT}% of pings: its alias shifts back`,
  })
}
