/**
 * This test run's id, given by `pnpm test` (bin/test_scope.ts): the Docker
 * names, labels and tags a test makes carry it, so that two runs at once
 * never see or remove each other's.
 */
export const runId = process.env.NGIP_TEST_RUN || `p${process.pid}`
