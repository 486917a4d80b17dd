/**
 * Defaults of the worker's ingest settings that are printed outside the app
 * too (the benchmarks name the settings behind their figures).
 */

/** INGEST_LINGER_MS: under load, a batch is stored at least this long after the one before */
export const DEFAULT_INGEST_LINGER_MS = 250
