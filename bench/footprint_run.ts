import { spawn } from 'node:child_process'
import { bench } from './setup.js'

export interface FootprintRole {
  name: string
  idle: number
  peak: number
}

export interface FootprintVariant {
  variant: 'full' | 'small'
  readyS: number
  stopS: number
  codes: (number | null)[]
  pingsPerS: number
  /** Answers other than 2xx under the load */
  non2xx: number
  rows: FootprintRole[]
}

export interface FootprintFigures {
  results: FootprintVariant[]
  conditions: {
    idleSeconds: number
    loadSeconds: number
    connections: number
    tokens: number
    nodeEnv?: string
  }
}

/**
 * `pnpm bench`'s footprint: bench/footprint.ts for the full and the small mode
 * (a script of its own: it starts every role the way `pnpm start` does), on a
 * database named after the run's and the run's Redis database; its table is
 * shown as it goes, its figures come back as its last line.
 */
export async function footprintBench(): Promise<FootprintFigures> {
  const child = spawn(process.execPath, ['bench/footprint.ts', 'full', 'small'], {
    cwd: bench.root,
    env: {
      ...process.env,
      BENCH_DATABASE: `${bench.database}_footprint`,
      BENCH_REDIS_DB: String(bench.redisDb),
      BENCH_FOOTPRINT_JSON: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (text: string) => {
    output += text
    process.stdout.write(text.replace(/^\{.*\}\n?$/m, ''))
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  const last = output.trim().split('\n').pop() ?? ''
  if (code !== 0 || !last.startsWith('{')) {
    throw new Error(`the footprint bench failed (exit ${code})`)
  }
  return JSON.parse(last) as FootprintFigures
}
