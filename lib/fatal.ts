import { describeFault, EXIT_SETTING } from './faults.ts'

/**
 * How an entry point (bin/server.ts, bin/console.ts) ends on an error it
 * cannot go on with: an ordinary fault in one line (exit 78 for a setting
 * that cannot work), anything else in full; with colours and a code frame
 * only on a terminal. The process ends (open connections would keep it).
 */
export async function reportFatal(error: unknown, role: string): Promise<never> {
  const fault = describeFault(error)
  if (fault) {
    console.error(`ngip ${role}: ${fault.line}`)
    process.exit(fault.fatal ? EXIT_SETTING : 1)
  }
  if (process.stderr.isTTY) {
    const { prettyPrintError } = await import('@adonisjs/core')
    await prettyPrintError(error)
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
  }
  process.exit(1)
}

interface AceErrorHandler {
  debug?: boolean
  render(error: unknown, kernel: any): Promise<any>
}

/**
 * The ace kernel's error handler: an ordinary fault ends the process in one
 * line (with 78 for a setting, where the kernel would say 1); the rest as ace
 * shows it, without a code frame off a terminal.
 */
export function aceErrorHandler(original: AceErrorHandler, role: string): AceErrorHandler {
  return {
    async render(error, kernel) {
      const fault = describeFault(error)
      if (fault) {
        await reportFatal(error, role)
      }
      if (!process.stderr.isTTY) {
        original.debug = false
      }
      return original.render(error, kernel)
    },
  }
}
