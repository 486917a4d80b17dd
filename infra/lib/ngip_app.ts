import { type App, Tags, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import type { NgipConfig } from './config.js'
import { AppStack } from './stacks/app_stack.js'
import { BuildHostStack } from './stacks/build_host_stack.js'
import { DataStack } from './stacks/data_stack.js'
import { DnsStack } from './stacks/dns_stack.js'
import { JobsStack } from './stacks/jobs_stack.js'
import { NetworkStack } from './stacks/network_stack.js'
import { ObservabilityStack } from './stacks/observability_stack.js'
import { PingStack } from './stacks/ping_stack.js'
import { SharedStack } from './stacks/shared_stack.js'

export interface NgipStacks {
  shared: SharedStack
  buildHost: BuildHostStack
  network: NetworkStack
  data: DataStack
  jobs: JobsStack
  app: AppStack
  ping: PingStack
  dns: DnsStack
  observability: ObservabilityStack
}

function accountStacks(app: App, config: NgipConfig) {
  const shared = new SharedStack(app, 'ngip-shared', {
    description: 'ngip per-account: image repository, artifacts bucket',
    account: config.account,
  })
  const buildHost = new BuildHostStack(app, 'ngip-build-host', {
    description: 'ngip per-account: pipeline build host',
    account: config.account,
  })
  buildHost.addStackDependency(shared)
  return { shared, buildHost }
}

function envStacks(app: App, config: NgipConfig) {
  const id = (name: string) => `${config.prefix}-${name}`
  const network = new NetworkStack(app, id('network'), { config })
  const data = new DataStack(app, id('data'), { config, vpc: network.vpc })
  const { database, redis, appKey } = data
  const runtime = { config, vpc: network.vpc, database, redis, appKey }
  const jobs = new JobsStack(app, id('jobs'), runtime)
  const web = new AppStack(app, id('app'), runtime)
  const ping = new PingStack(app, id('ping'), { config, vpc: network.vpc, redis })
  const dns = new DnsStack(app, id('dns'), {
    config,
    loadBalancer: web.web.loadBalancer,
    pingDomain: ping.domain,
    mailLoadBalancer: web.smtp.loadBalancer,
  })
  const observability = new ObservabilityStack(app, id('observability'), {
    config,
    loadBalancer: web.web.loadBalancer,
    pingFunction: ping.ping.fn,
    database: database.instance,
  })
  for (const stack of [network, data, jobs, web, ping, dns, observability]) {
    Tags.of(stack).add('ngip:environment', config.envName)
  }
  return { network, data, jobs, app: web, ping, dns, observability }
}

/**
 * Adds every ngip stack of one environment (and the per-account ones) to the
 * app, with the cdk-nag AwsSolutions checks run on each synth.
 */
export function buildNgip(app: App, config: NgipConfig): NgipStacks {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
  Tags.of(app).add('ngip:project', 'ngip')
  return { ...accountStacks(app, config), ...envStacks(app, config) }
}
