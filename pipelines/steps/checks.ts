import type { Executor } from '../lib/executor.ts'

/** build: dependencies as locked, lint, types, unit tests. */
export async function build($: Executor) {
  await $`pnpm install --frozen-lockfile`
  await $`pnpm lint`
  await $`pnpm typecheck`
  await $`pnpm test unit`
}

/**
 * test: the whole test suite (it prints `tests: N passed, N failed`), or the
 * suites NGIP_PIPELINE_TEST_ARGS names.
 */
export async function testSuite($: Executor, args: string[] = []) {
  await (args.length > 0 ? $`pnpm test ${args}` : $`pnpm test`)
}
