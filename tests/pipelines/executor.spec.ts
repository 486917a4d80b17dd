import { test } from '@japa/runner'
import { realExecutor } from '../../pipelines/lib/executor.ts'
import { capturedLog, root } from './helpers/pipeline.ts'

test.group('executor', () => {
  test('runs each argument verbatim, never through the shell', async ({ assert }) => {
    const { log } = capturedLog()
    const $ = realExecutor(log, { cwd: root, env: process.env })
    const tricky = ['a b', '$(whoami)', ';echo injected', "it's"]
    const result = await $`printf '%s\n' ${tricky}`
    assert.deepEqual(result.stdout.trimEnd().split('\n'), tricky)
  })

  test('prints each command and its output with secrets masked', async ({ assert }) => {
    const { log, output } = capturedLog()
    log.secrets.add('hunter2-db-password')
    const $ = realExecutor(log, { cwd: root, env: process.env })
    await $`echo connecting with hunter2-db-password`
    assert.include(output(), '$ echo connecting with ***')
    assert.include(output(), 'connecting with ***')
    assert.notInclude(output(), 'hunter2')
  })

  test('a failing command rejects with its exit code', async ({ assert }) => {
    const { log } = capturedLog()
    const $ = realExecutor(log, { cwd: root, env: process.env })
    await assert.rejects(() => $`exit 3`, /exit code: 3/)
  })
})
