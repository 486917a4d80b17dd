/**
 * The ping load as a process of its own (so the load does not share an event
 * loop with the pipeline it measures): `tsx pipelines/rehearse/load_main.ts
 * <rate> <ping url>...`. Runs until SIGTERM, then prints its result as one
 * JSON line.
 */
import { pingLoad } from './ping_load.ts'

const [rate, ...urls] = process.argv.slice(2)
if (!Number(rate) || urls.length === 0) {
  console.error('usage: load_main.ts <pings a second> <ping url>...')
  process.exit(2)
}
const stop = new AbortController()
process.once('SIGTERM', () => stop.abort())
process.once('SIGINT', () => stop.abort())
const result = await pingLoad({ urls, rate: Number(rate), signal: stop.signal })
process.stdout.write(`${JSON.stringify(result)}\n`)
