import { test } from '@japa/runner'
import { ALL_STACKS, synthEnv } from './helpers.js'
import { matchSnapshot, normaliseTemplate } from './snapshot.js'

test.group('infra snapshots', (group) => {
  group.each.timeout(60_000)

  test('the {$self} stack template is unchanged (UPDATE_SNAPSHOTS=1 to accept)')
    .with(ALL_STACKS)
    .run(async ({ assert }, name) => {
      const synthesized = synthEnv('stage')
      const template = normaliseTemplate(
        synthesized.template(name).toJSON(),
        synthesized.config.imageTag
      )
      await matchSnapshot(assert, synthesized.stacks[name].stackName, template)
    })
})
