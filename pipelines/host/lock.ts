import { hostname } from 'node:os'
import { pause, type HostRun } from './run.ts'

const BY = 'ngip.lock.by'
const SINCE = 'ngip.lock.since'
/** No deploy takes this long: a lock this old was left by a run that was killed. */
const STALE_MS = 60 * 60 * 1000

/** Claims the lock once; the holder's description when someone else has it. */
async function tryClaim(run: HostRun, what: string, image: string) {
  const { docker } = run.tools
  const name = run.names.lock
  const by = `${what} (pid ${process.pid} on ${hostname()})`
  const labels = { ...run.labels, [BY]: by, [SINCE]: new Date().toISOString() }
  if (await docker.claim({ name, image, labels })) {
    return undefined
  }
  const holder = await docker.find(name)
  if (!holder) {
    return 'released'
  }
  const since = holder.labels[SINCE] ?? ''
  if (Date.now() - Date.parse(since) > STALE_MS) {
    run.say(`removing a stale lock of ${holder.labels[BY]} from ${since}`)
    await docker.remove([name], [])
    return 'released'
  }
  return `${run.env} is being deployed by ${holder.labels[BY] ?? 'someone'} since ${since}`
}

/**
 * Runs `work` holding the environment's deploy lock: a container with a fixed
 * name, which the engine creates for one caller only, so it holds for deploys
 * from any machine. Another deploy waits up to the configured time, then
 * refuses, saying who holds it.
 */
export async function withLock<T>(
  run: HostRun,
  what: string,
  image: string,
  work: () => Promise<T>
): Promise<T> {
  const deadline = Date.now() + run.settings.lockWaitS * 1000
  let said = false
  for (;;) {
    const held = await tryClaim(run, what, image)
    if (held === undefined) {
      break
    }
    if (held !== 'released' && Date.now() >= deadline) {
      throw new Error(
        `${held}; try again when it is done (a lock left by a killed run: docker rm ${run.names.lock})`
      )
    }
    if (held !== 'released' && !said) {
      run.say(`${held}; waiting up to ${run.settings.lockWaitS} s`)
      said = true
    }
    await pause(held === 'released' ? 0 : 1000)
  }
  try {
    return await work()
  } finally {
    await run.tools.docker.remove([run.names.lock], [])
  }
}
