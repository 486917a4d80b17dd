import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from '@japa/runner'
import type { HostSettings } from '../../pipelines/host/settings.ts'
import { credentialsPath } from '../../pipelines/host/state.ts'
import type { Release } from '../../pipelines/lib/target.ts'
import {
  appRelease,
  derivedImage,
  docker,
  execIn,
  lockHeld,
  answering,
  harness,
  project,
  removeAll,
  snapshot,
  testSettings,
  viaProxy,
} from './helpers/host_deploy.ts'

/** A migration of a release that fails on purpose (PostgreSQL rejects it; its transaction rolls back). */
const FAILING_MIGRATION = `import { BaseSchema } from '@adonisjs/lucid/schema'
export default class extends BaseSchema {
  async up() {
    this.schema.raw('SELECT no_such_function()')
  }
}
`

/**
 * The host deploy target on the real engine: stage's first deploy and its
 * data. Names carry this run's pid; everything, volumes included, is removed
 * afterwards.
 */
test.group('host target: stage on a real Docker engine', (group) => {
  let settings: HostSettings
  let secrets: Record<string, string>
  let stateDir: string
  let release: Release

  group.setup(async () => {
    ;({ settings, secrets, stateDir } = await testSettings())
    release = await appRelease()
    return () => removeAll('stage', stateDir)
  })

  test('a missing secret stops the deploy before the engine is touched', async ({ assert }) => {
    const file = join(stateDir, 'secrets/stage/app_key')
    rmSync(file)
    const { target, tools, output } = harness(settings)
    try {
      await assert.rejects(
        () => target.deploy(tools, 'stage', release),
        /missing secret stage\/app_key \(set NGIP_STAGE_APP_KEY or write .*app_key\)/
      )
    } finally {
      writeFileSync(file, secrets['stage/app_key'], { mode: 0o600 })
    }
    assert.deepEqual(await snapshot('stage'), { containers: {}, volumes: [] })
    assert.notInclude(output(), secrets['stage/db_password'])
  })

  test('the first deploy migrates before the app starts; a Token outlives the next deploy', async ({
    assert,
  }) => {
    const { target, tools, output } = harness(settings)
    await target.deploy(tools, 'stage', release)
    const text = output()
    const order = ['migrating stage', 'migrated in', `starting ${project}-stage-blue`, 'switched']
    const at = order.map((line) => text.indexOf(line))
    assert.isTrue(
      at.every((i, n) => i >= 0 && (n === 0 || i > at[n - 1])),
      text.slice(-3000)
    )
    assert.equal(statSync(credentialsPath(settings, 'stage')).mode & 0o777, 0o600)
    const { apiKey } = JSON.parse(readFileSync(credentialsPath(settings, 'stage'), 'utf8'))
    for (const secret of [...Object.values(secrets), apiKey]) {
      assert.notInclude(text, secret)
    }

    const smoke = await target.smokeTarget(tools, 'stage')
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${smoke.webUrl}/api/v1${path}`, {
        ...init,
        headers: { 'authorization': `Bearer ${smoke.apiKey}`, 'content-type': 'application/json' },
      })
    const created = await api('/tokens', { method: 'POST', body: JSON.stringify({ name: 'kept' }) })
    assert.equal(created.status, 201)
    const { data: made } = (await created.json()) as { data: { id: string } }

    await target.deploy(tools, 'stage', release)
    const answer = await viaProxy(settings, 'stage')
    assert.equal(answer.colour, 'green')
    const kept = await api(`/tokens/${made.id}`)
    assert.equal(kept.status, 200)
    const { data: found } = (await kept.json()) as { data: { name: string } }
    assert.equal(found.name, 'kept')
    const { volumes } = await snapshot('stage')
    assert.deepEqual(volumes, [
      `${project}-stage-pgdata`,
      `${project}-stage-proxy`,
      `${project}-stage-redisdata`,
      `${project}-stage-storage`,
    ])
  })

  test('a passed stage-test is kept for the next run on this machine', async ({ assert }) => {
    const { target, tools } = harness(settings)
    assert.isUndefined(await harness({ ...settings, project: 'none' }).target.lastStagePass(tools))
    await target.recordStagePass(tools, release)
    const pass = await harness(settings).target.lastStagePass(tools)
    assert.equal(pass?.commit, release.commit)
    assert.equal(pass?.image, release.image)
    assert.closeTo(Date.parse(pass!.at), Date.now(), 60_000)
  })
})

/**
 * Prod on the host target: blue/green behind the nginx proxy, rollback, and
 * the faults that must leave the live colour serving. The tests run in order
 * on one prod stack.
 */
test.group('host target: prod blue/green behind a real proxy', (group) => {
  let settings: HostSettings
  let stateDir: string
  let release: Release
  const images: string[] = []
  const names = (colour: string) =>
    ['web', 'ping', 'worker', 'scheduler'].map((role) => `/${project}-prod-${colour}-${role}`)

  group.setup(async () => {
    ;({ settings, stateDir } = await testSettings())
    release = await appRelease()
    const { target, tools } = harness(settings)
    await target.deploy(tools, 'prod', release)
    return () => removeAll('prod', stateDir, images)
  })

  test('a deploy switches the proxy to the other colour and keeps the old one standing by', async ({
    assert,
  }) => {
    const before = await viaProxy(settings, 'prod')
    assert.equal(before.colour, 'blue')
    const { target, tools, output } = harness(settings)
    await target.deploy(tools, 'prod', release)
    const answer = await viaProxy(settings, 'prod')
    assert.deepEqual(answer, { status: 200, colour: 'green' })
    const { containers } = await snapshot('prod')
    const states = (colour: string) => names(colour).map((name) => containers[name]?.split(' ')[1])
    assert.deepEqual(states('green'), ['running', 'running', 'running', 'running'])
    assert.deepEqual(states('blue'), ['running', 'running', 'exited', 'exited'])
    assert.match(output(), /smoke: http:\/\/127\.0\.0\.1:\d+\/login shows the sign-in form/)
    assert.notInclude(output().split('the proxy switched')[0], `:${settings.envs.prod.webPort}/`)
  })

  test('rollback switches the proxy back to the previous colour in seconds', async ({ assert }) => {
    const { target, tools, output } = harness(settings)
    const started = Date.now()
    await target.rollback(tools, 'prod')
    const took = Date.now() - started
    assert.deepEqual(await viaProxy(settings, 'prod'), { status: 200, colour: 'blue' })
    const switched = /traffic went back to blue after ([\d.]+ s)/.exec(output())?.[1]
    assert.exists(switched, output())
    console.log(`    rollback: traffic back after ${switched}, done in ${took} ms`)
    const { containers } = await snapshot('prod')
    assert.match(containers[`/${project}-prod-green-web`], / running$/)
    assert.match(containers[`/${project}-prod-blue-worker`], / running$/)
    assert.match(containers[`/${project}-prod-green-worker`], / exited$/)
  })

  test('a second change during a deploy refuses when told not to wait and waits otherwise', async ({
    assert,
  }) => {
    const first = harness(settings)
    const deploying = first.target.deploy(first.tools, 'prod', release)
    await lockHeld(`${project}-prod-deploy-lock`)
    const refused = harness({ ...settings, lockWaitS: 0 })
    await assert.rejects(
      () => refused.target.deploy(refused.tools, 'prod', release),
      new RegExp(
        `prod is being deployed by deploy of ${release.tag} \\(pid ${process.pid} on .+\\) since `
      )
    )
    const waiting = harness(settings)
    const rollingBack = waiting.target.rollback(waiting.tools, 'prod')
    await deploying
    assert.include(first.output(), `prod serves ${release.tag} from green`)
    await rollingBack
    assert.match(waiting.output(), /prod is being deployed by deploy of .*; waiting up to 600 s/)
    assert.deepEqual(await viaProxy(settings, 'prod'), { status: 200, colour: 'blue' })
  })

  test('a failing migration leaves the live colour serving and the standby untouched', async ({
    assert,
  }) => {
    const image = await derivedImage(
      release.image,
      `${project}-bad:migration`,
      ['COPY 9999_fails_on_purpose.js /app/database/migrations/'],
      { '9999_fails_on_purpose.js': FAILING_MIGRATION }
    )
    images.push(image)
    const before = await snapshot('prod')
    const { target, tools, output } = harness(settings)
    await assert.rejects(
      () => target.deploy(tools, 'prod', { ...release, image }),
      new RegExp(
        `the migration failed \\(${project}-prod-migrate exited with 1\\); ${project}-prod-blue still serves`
      )
    )
    assert.include(output(), 'no_such_function')
    assert.deepEqual(await viaProxy(settings, 'prod'), { status: 200, colour: 'blue' })
    assert.deepEqual(await snapshot('prod'), before)
  })

  test('a new colour failing its smoke test is removed and the live colour keeps serving', async ({
    assert,
  }) => {
    const image = await derivedImage(
      release.image,
      `${project}-bad:login`,
      ['COPY login.edge /app/resources/views/pages/auth/login.edge'],
      { 'login.edge': '@if(\n' }
    )
    images.push(image)
    const { target, tools } = harness(settings)
    await assert.rejects(
      () => target.deploy(tools, 'prod', { ...release, image }),
      new RegExp(`the sign-in page answered 500 .*; ${project}-prod-blue still serves`)
    )
    assert.deepEqual(await viaProxy(settings, 'prod'), { status: 200, colour: 'blue' })
    const { containers } = await snapshot('prod')
    assert.deepEqual(
      names('green').filter((name) => containers[name]),
      []
    )
  })

  test('a proxy that refuses its new configuration leaves the old colour serving', async ({
    assert,
  }) => {
    const proxy = docker.getContainer(`${project}-prod-proxy`)
    const broken = '/etc/nginx/ngip/conf.d/broken.conf'
    await execIn(proxy, ['sh', '-c', `echo 'server { listen 8080' > ${broken}`])
    const { target, tools } = harness(settings)
    try {
      await assert.rejects(
        () => target.deploy(tools, 'prod', release),
        new RegExp(
          `the proxy refused the switch to green: .*emerg.*; ${project}-prod-blue still serves`
        )
      )
    } finally {
      await execIn(proxy, ['rm', '-f', broken])
    }
    assert.deepEqual(await viaProxy(settings, 'prod'), { status: 200, colour: 'blue' })
    // What the proxy keeps on disk is still blue: a restarted proxy serves blue too.
    await proxy.restart()
    assert.deepEqual(await answering(settings), { status: 200, colour: 'blue' })
    const { containers } = await snapshot('prod')
    assert.deepEqual(
      names('green').filter((name) => containers[name]),
      []
    )
  })

  test('a missing secret leaves a running prod exactly as it was', async ({ assert }) => {
    const before = await snapshot('prod')
    const { target, tools } = harness({ ...settings, secretsDir: join(stateDir, 'nowhere') })
    await assert.rejects(
      () => target.deploy(tools, 'prod', release),
      /missing secret prod\/app_key .*, prod\/db_password .*: nothing was changed/
    )
    assert.deepEqual(await snapshot('prod'), before)
    assert.deepEqual(await viaProxy(settings, 'prod'), { status: 200, colour: 'blue' })
  })
})
