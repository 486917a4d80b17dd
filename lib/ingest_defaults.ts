/**
 * Defaults of the worker's ingest settings that are printed outside the app
 * too (the benchmarks name the settings behind their figures).
 */

/**
 * INGEST_LINGER_MS: under load, a batch is stored at least this long after the one before.
 * At 1,000 (was 250) the whole platform's keep-alive load stored its pings in batches of up
 * to 10,000 instead of about 4,700: each Token's row updated half as often, PostgreSQL at
 * 0.32-0.34 core instead of 0.37-0.42, 7-10 % more pings stored a second (bench/RESULTS.md).
 */
export const DEFAULT_INGEST_LINGER_MS = 1000
