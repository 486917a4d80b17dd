import { relative } from 'node:path'
import { writeFileSync } from 'node:fs'
import type { NamedReporterContract } from '@japa/runner/types'

/** A failed test as the closing lines of `pnpm test` name it. */
export interface FailedTest {
  title: string
  file?: string
  /** The first line of the first error's message. */
  message: string
}

function firstLine(error: unknown) {
  const message = error instanceof Error ? error.message : String(error)
  return message.split('\n')[0].slice(0, 400)
}

/**
 * Writes the run's totals and its failed tests as JSON to $NGIP_TEST_SUMMARY,
 * so bin/run_tests.ts can end with which tests failed and why, and then the
 * plain `tests: N passed, N failed` line CI reads.
 */
export function summaryFileReporter(): NamedReporterContract {
  return {
    name: 'summary-file',
    handler: (runner, emitter) => {
      const failures: FailedTest[] = []
      emitter.on('test:end', (payload) => {
        if (!payload.hasError) {
          return
        }
        const file = payload.meta?.fileName as string | undefined
        failures.push({
          title: payload.title.expanded,
          file: file ? relative(process.cwd(), file) : undefined,
          message: firstLine(payload.errors[0]?.error),
        })
      })
      emitter.on('group:end', (payload) => {
        // A group has an error of its own when one of its hooks failed.
        if (payload.errors.length > 0) {
          failures.push({
            title: `group "${payload.title}" (a hook)`,
            message: firstLine(payload.errors[0]?.error),
          })
        }
      })
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
            failures,
          })
        )
      })
    },
  }
}
