import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import type { RehearsalReport } from '../../pipelines/rehearse/rehearse.ts'
import { root } from '../pipelines/helpers/pipeline.ts'

/** `pnpm pipeline rehearse` as typed, its output streamed through, its report read back. */
async function rehearse(): Promise<{ code: number | null; report?: RehearsalReport }> {
  const dir = mkdtempSync(join(tmpdir(), 'ngip-rehearsal-report-'))
  const path = join(dir, 'report.json')
  try {
    const child = spawn('pnpm', ['pipeline', 'rehearse'], {
      cwd: root,
      env: { ...process.env, NGIP_REHEARSAL_REPORT: path },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    let report: RehearsalReport | undefined
    try {
      report = JSON.parse(readFileSync(path, 'utf8'))
    } catch {
      report = undefined
    }
    return { code, report }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test.group('pnpm pipeline rehearse: the whole delivery loop on this machine', () => {
  test('push → agent → pipeline → stage → stage-test → blue/green prod → rollback → park', async ({
    assert,
  }) => {
    const { code, report } = await rehearse()
    assert.exists(report, 'the rehearsal wrote no report')
    const phases = Object.fromEntries(report!.phases.map((p) => [p.what, p]))
    const failed = report!.phases
      .filter((p) => p.result !== 'passed')
      .map((p) => `${p.what}: ${p.note}`)
    assert.deepEqual(failed, [], `every phase passed; failed: ${failed.join(' | ')}`)
    assert.lengthOf(report!.phases, 7)
    assert.match(phases['push 3 to main: a migration that loses data'].note, /stage-test failed/)
    assert.match(phases['push 3 to main: a migration that loses data'].note, /prod answers/)
    const figures = report!.figures
    assert.isAbove(Number(figures['load: pings sent']), 0)
    assert.equal(
      figures['load: failed even after retries'],
      0,
      'every ping accepted during the switch and the rollback, as cron sends it'
    )
    assert.equal(figures['load: accepted but not stored'], 0, 'no accepted ping lost')
    assert.equal(figures['load: stored twice'], 0, 'no ping stored twice')
    assert.equal(figures['idle-check'], 'recent, then stopped')
    assert.isTrue(report!.passed)
    assert.equal(code, 0)
  }).timeout(2_400_000)
})
