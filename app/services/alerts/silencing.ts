import { maintenanceEnd, type MaintenanceFields } from '#models/maintenance_window'

/**
 * Why a Flip notifies nobody: it happened inside a maintenance window, or a
 * Token it depends on is down (the parent's alert is the one that names the
 * cause). Null: it notifies as usual.
 */
export type Silence = 'maintenance' | 'dependency' | null

export interface FlipFacts {
  oldStatus: string
  newStatus: string
  at: Date
  window: MaintenanceFields
  /** A Token this one depends on is down now */
  parentDown: boolean
  /** How the Flip that last took this Token down was silenced */
  lastDown: Silence
}

/**
 * The silencing rule, one place for every Flip the dispatcher handles. A
 * recovery is as quiet as the down it ends: nobody hears of an outage they
 * never heard start.
 */
export function silenceOf(flip: FlipFacts): Silence {
  if (maintenanceEnd(flip.window, flip.at)) {
    return 'maintenance'
  }
  if (flip.newStatus === 'down') {
    return flip.parentDown ? 'dependency' : null
  }
  return flip.oldStatus === 'down' ? flip.lastDown : null
}
