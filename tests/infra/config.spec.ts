import { test } from '@japa/runner'
import { resolveConfig } from '../../infra/lib/config.js'
import { testConfig } from './helpers.js'

test.group('infra config', () => {
  test('stage lives under stage.<zone> and runs small and single-AZ', ({ assert }) => {
    const config = testConfig({ env: 'stage' })
    assert.equal(config.prefix, 'ngip-stage')
    assert.deepEqual(config.dns, {
      zoneName: 'ngip.example.com',
      zoneId: 'Z0123456789EXAMPLE',
      appHost: 'stage.ngip.example.com',
      pingHost: 'ping.stage.ngip.example.com',
    })
    assert.equal(config.natGateways, 1)
    assert.isFalse(config.database.highlyAvailable)
    assert.isFalse(config.redis.highlyAvailable)
  })

  test('prod serves the zone apex and is highly available', ({ assert }) => {
    const config = testConfig({ env: 'prod', zoneName: 'pings.example.org', zoneId: 'Z09ABCDEF' })
    assert.equal(config.dns.appHost, 'pings.example.org')
    assert.equal(config.dns.pingHost, 'ping.pings.example.org')
    assert.equal(config.natGateways, 2)
    assert.isTrue(config.database.highlyAvailable)
    assert.isTrue(config.redis.highlyAvailable)
    assert.isTrue(config.retainOnDelete)
  })

  test('defaults to stage, the image tag latest and the pnpm of package.json', ({ assert }) => {
    const config = resolveConfig({ packageManager: 'pnpm@12.21.0' })
    assert.equal(config.envName, 'stage')
    assert.equal(config.imageTag, 'latest')
    assert.equal(config.account.pnpmVersion, '12.21.0')
  })

  test('keeps the per-account settings identical in every environment', ({ assert }) => {
    assert.deepEqual(testConfig({ env: 'stage' }).account, testConfig({ env: 'prod' }).account)
  })

  test('accepts the optional alarm email', ({ assert }) => {
    const config = testConfig({ alarmEmail: 'ops@example.com' })
    assert.equal(config.alarmEmail, 'ops@example.com')
  })

  test('rejects {case}')
    .with([
      { case: 'an unknown env', raw: { env: 'dev' }, message: /Unknown env "dev"/ },
      { case: 'env production (it is prod)', raw: { env: 'production' }, message: /Unknown env/ },
      {
        case: 'a domain outside the hosted zone',
        raw: { domain: 'app.other.com' },
        message: /not inside the hosted zone/,
      },
      { case: 'a malformed domain', raw: { domain: 'bad_domain!' }, message: /Invalid domain/ },
      { case: 'a zone without a dot', raw: { zoneName: 'localhost' }, message: /Invalid zoneName/ },
      { case: 'a malformed hosted zone id', raw: { zoneId: 'abc' }, message: /Invalid zoneId/ },
      { case: 'an image tag with a colon', raw: { imageTag: 'v1:2' }, message: /Invalid imageTag/ },
      {
        case: 'an alarm email without a domain',
        raw: { alarmEmail: 'ops' },
        message: /Invalid alarmEmail/,
      },
      {
        case: 'a package manager other than pnpm',
        raw: { packageManager: 'npm@11.0.0' },
        message: /Invalid packageManager/,
      },
    ])
    .run(({ assert }, { raw, message }) => {
      assert.throws(() => testConfig(raw), message)
    })
})
