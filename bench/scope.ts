import { claimDatabase, claimRedisDb, connectClaims } from '../bin/test_scope.ts'
import { bench } from './setup.js'

/**
 * What one `pnpm bench` run owns, claimed as test runs claim theirs (same
 * claims in Redis' DB 0), so it runs beside `pnpm start` and the tests: a
 * database named after the checkout (ngip_bench_<hash>) and a free Redis
 * database; BENCH_DATABASE / BENCH_REDIS_DB choose them instead.
 */
export async function claimBenchScope() {
  if (process.env.BENCH_DATABASE && process.env.BENCH_REDIS_DB) {
    return async () => {}
  }
  const claims = await connectClaims(bench.root, process.env)
  try {
    if (!process.env.BENCH_REDIS_DB) {
      bench.redisDb = Number(await claimRedisDb(claims))
    }
    if (!process.env.BENCH_DATABASE) {
      bench.database = await claimDatabase(claims, bench.root, 'ngip_bench')
    }
  } catch (error) {
    await claims.release()
    throw error
  }
  return () => claims.release()
}
