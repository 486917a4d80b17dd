import { fileURLToPath } from 'node:url'

/** Root of the repository: the Lambda's esbuild project root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Entry of the ping edge's Lambda adapter (exports `handler`). */
export const PING_LAMBDA_ENTRY = fileURLToPath(new URL('../../ping/lambda.ts', import.meta.url))
