import { test } from '@japa/runner'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildNgip } from '../../infra/lib/ngip_app.js'
import { newApp, synthEnv, testConfig } from './helpers.js'

interface PluginReport {
  pluginName: string
  conclusion: string
  violations: unknown[]
  suppressedViolations?: { ruleName: string; reason: string; acknowledgedId: string }[]
}

/** Runs `fn` without the report CDK prints to stderr before it throws. */
function quietly<T>(fn: () => T): T {
  const original = console.error
  console.error = () => {}
  try {
    return fn()
  } finally {
    console.error = original
  }
}

function reports(outdir: string): PluginReport[] {
  return JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')).pluginReports
}

test.group('infra cdk-nag', (group) => {
  group.each.timeout(60_000)

  test('{$self} has no unacknowledged finding and every acknowledgement gives its reason')
    .with(['stage', 'prod'] as const)
    .run(({ assert }, env) => {
      const all = reports(synthEnv(env).outdir)
      const nag = all.find((report) => report.pluginName === 'AwsSolutions')
      assert.exists(nag, 'the AwsSolutions pack ran')
      for (const report of all) {
        assert.equal(report.conclusion, 'success', report.pluginName)
        assert.lengthOf(report.violations, 0, report.pluginName)
      }
      for (const finding of nag!.suppressedViolations ?? []) {
        assert.isAtLeast(finding.reason.length, 40, `${finding.ruleName}: reason too short`)
      }
    })

  test('fails synthesis on a finding nobody acknowledged', ({ assert }) => {
    const app = newApp()
    const stacks = buildNgip(app, testConfig())
    new s3.Bucket(stacks.shared, 'Careless')
    assert.throws(() => quietly(() => app.synth()), /AwsSolutions-S10|Validation failed/)
    const nag = reports(app.outdir).find((report) => report.pluginName === 'AwsSolutions')!
    const rules = JSON.stringify(nag.violations)
    assert.include(rules, 'AwsSolutions-S1')
    assert.include(rules, 'AwsSolutions-S10')
  })
})
