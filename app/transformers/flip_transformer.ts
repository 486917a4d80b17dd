import type Flip from '#models/flip'
import { BaseTransformer } from '@adonisjs/core/transformers'
import { answer, dateTime, nullable } from '#services/api_docs/schema_types'

export default class FlipTransformer extends BaseTransformer<Flip> {
  toObject() {
    const flip = this.resource
    return {
      id: flip.id,
      created_at: flip.createdAt.toUTC().toISO(),
      old_status: flip.oldStatus,
      new_status: flip.newStatus,
      reason: flip.reason,
      silenced: flip.silenced,
    }
  }
}

/** The API document's Flip: what `toObject` returns */
export const flipSchema = answer<ReturnType<FlipTransformer['toObject']>>({
  id: { type: 'integer' },
  created_at: dateTime,
  old_status: { type: 'string', example: 'up' },
  new_status: { type: 'string', example: 'down' },
  reason: { type: 'string', example: 'fail' },
  silenced: {
    ...nullable({ type: 'string', enum: ['maintenance', 'dependency'] }),
    description:
      'Why the Flip notified nobody: inside a maintenance window, or a Token it depends on was down',
  },
})
