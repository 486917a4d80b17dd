import { writeFileSync } from 'node:fs'
import type { NamedReporterContract } from '@japa/runner/types'

/**
 * Writes the run's totals as JSON to $NGIP_TEST_SUMMARY, so bin/run_tests.ts
 * can print the plain `tests: N passed, N failed` line CI reads.
 */
export function summaryFileReporter(): NamedReporterContract {
  return {
    name: 'summary-file',
    handler: (runner, emitter) => {
      emitter.on('runner:end', () => {
        const target = process.env.NGIP_TEST_SUMMARY
        if (!target) {
          return
        }
        const summary = runner.getSummary()
        writeFileSync(
          target,
          JSON.stringify({
            passed: summary.aggregates.passed,
            failed: summary.aggregates.failed,
            skipped: summary.aggregates.skipped,
            todo: summary.aggregates.todo,
            hasError: summary.hasError,
          })
        )
      })
    },
  }
}
