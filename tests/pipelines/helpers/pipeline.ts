import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { type PipelineConfig, parseConfig } from '../../../pipelines/config.ts'
import { readFacts } from '../../../pipelines/lib/facts.ts'
import { Log } from '../../../pipelines/lib/log.ts'
import { Secrets } from '../../../pipelines/lib/secrets.ts'

export const root = fileURLToPath(new URL('../../../', import.meta.url))

/** A pipeline configuration as the CLI would parse it, from this checkout. */
export function pipelineConfig(argv: string[], env: NodeJS.ProcessEnv = {}): PipelineConfig {
  const facts = readFacts(root, process.env)
  return parseConfig(argv, { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS, ...env }, facts)
}

/** A Log whose output the test reads back. */
export function capturedLog() {
  let text = ''
  const out = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString()
      done()
    },
  })
  const log = new Log(new Secrets(), out)
  return { log, output: () => text }
}
