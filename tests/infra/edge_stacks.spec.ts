import { test } from '@japa/runner'
import { synthEnv } from './helpers.js'

test.group('infra dns stack', (group) => {
  group.each.timeout(60_000)

  test(
    '{env} gets alias records for app, ping and its mail host, and the MX of the ping host, nothing else'
  )
    .with([
      { env: 'stage' as const, app: 'stage.ngip.example.com', ping: 'ping.stage.ngip.example.com' },
      { env: 'prod' as const, app: 'ngip.example.com', ping: 'ping.ngip.example.com' },
    ])
    .run(({ assert }, { env, app, ping }) => {
      const template = synthEnv(env).template('dns')
      const records = Object.values(template.findResources('AWS::Route53::RecordSet'))
      const aliases = records.filter((record) => record.Properties.Type === 'A')
      assert.sameMembers(
        aliases.map((record) => record.Properties.Name),
        [`${app}.`, `${ping}.`, `mx.${ping}.`]
      )
      for (const record of records) {
        assert.equal(record.Properties.HostedZoneId, 'Z0123456789EXAMPLE')
      }
      for (const record of aliases) {
        assert.property(record.Properties, 'AliasTarget')
      }
      const mx = records.filter((record) => record.Properties.Type === 'MX')
      assert.lengthOf(mx, 1)
      assert.equal(mx[0].Properties.Name, `${ping}.`)
      assert.deepEqual(mx[0].Properties.ResourceRecords, [`10 mx.${ping}`])
      assert.lengthOf(records, 4)
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
