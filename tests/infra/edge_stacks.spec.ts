import { test } from '@japa/runner'
import { synthEnv } from './helpers.js'

test.group('infra dns stack', (group) => {
  group.each.timeout(60_000)

  test('{env} gets alias records for app and ping in the configured zone, nothing else')
    .with([
      { env: 'stage' as const, hosts: ['stage.ngip.example.com.', 'ping.stage.ngip.example.com.'] },
      { env: 'prod' as const, hosts: ['ngip.example.com.', 'ping.ngip.example.com.'] },
    ])
    .run(({ assert }, { env, hosts }) => {
      const template = synthEnv(env).template('dns')
      const records = Object.values(template.findResources('AWS::Route53::RecordSet'))
      assert.sameMembers(
        records.map((record) => record.Properties.Name),
        hosts
      )
      for (const record of records) {
        assert.equal(record.Properties.HostedZoneId, 'Z0123456789EXAMPLE')
        assert.property(record.Properties, 'AliasTarget')
      }
    })

  test('no environment has a static bucket or a CloudFront distribution: the web serves its files', ({
    assert,
  }) => {
    for (const env of ['stage', 'prod'] as const) {
      const synthesized = synthEnv(env)
      for (const name of Object.keys(synthesized.stacks) as (keyof typeof synthesized.stacks)[]) {
        const template = synthesized.template(name)
        assert.deepEqual(template.findResources('AWS::CloudFront::Distribution'), {}, name)
      }
      assert.notProperty(synthesized.stacks, 'static')
    }
  })
})
