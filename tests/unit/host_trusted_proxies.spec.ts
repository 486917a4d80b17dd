import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import { dockerPlan } from '../../pipelines/lib/docker_plan.ts'
import { Log } from '../../pipelines/lib/log.ts'
import { Plan } from '../../pipelines/lib/plan.ts'
import { Secrets } from '../../pipelines/lib/secrets.ts'
import { appEnv } from '../../pipelines/host/migrate.ts'
import { envNames } from '../../pipelines/host/names.ts'
import type { HostRun } from '../../pipelines/host/run.ts'

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() })

test.group('Host target: the app trusts its proxy, and only what the proxy saw', () => {
  test("web and ping trust the environment's network, where the proxy is", async ({ assert }) => {
    // The dry run's Docker port (the pipeline's own), answering as an engine would.
    const plan = new Plan(new Log(new Secrets(), quiet))
    const names = envNames('ngip', 'prod')
    const urls = { webPort: 3333, pingPort: 3334, appUrl: 'https://a', pingUrl: 'https://p' }
    const run = {
      tools: { docker: dockerPlan(plan) },
      settings: { envs: { prod: urls } },
      env: 'prod',
      names,
    } as unknown as HostRun
    const env = await appEnv(run, { appKey: 'k'.repeat(32), dbPassword: 'secret' })
    assert.equal(env.TRUSTED_PROXIES, `<subnet of ${names.network}>`)
    assert.include(plan.lines, `docker network inspect ${names.network}`)
  })

  test('the proxy sends the address it saw, never a client-sent X-Forwarded-For', ({ assert }) => {
    const conf = readFileSync(new URL('../../docker/proxy/nginx.conf', import.meta.url), 'utf8')
    assert.match(conf, /^\s*proxy_set_header X-Forwarded-For \$remote_addr;$/m)
    assert.notInclude(conf, '$proxy_add_x_forwarded_for')
  })
})
