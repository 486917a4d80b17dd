import type { Executor } from '../lib/executor.ts'

/** build: dependencies as locked, lint, types, unit tests. */
export async function build($: Executor) {
  await $`pnpm install --frozen-lockfile`
  await $`pnpm lint`
  await $`pnpm typecheck`
  await $`pnpm test unit`
}

/** test: the whole test suite (it prints `tests: N passed, N failed`). */
export async function testSuite($: Executor) {
  await $`pnpm test`
}
