import type Flip from '#models/flip'
import { BaseTransformer } from '@adonisjs/core/transformers'

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
