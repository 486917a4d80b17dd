import type User from '#models/user'
import type Channel from '#models/channel'
import { BasePolicy } from '@adonisjs/bouncer'
import { ownsOrAdmin } from '#abilities/ownership'

/**
 * A user reaches only their own Channels; an admin reaches all.
 */
export default class ChannelPolicy extends BasePolicy {
  view(user: User, channel: Channel) {
    return ownsOrAdmin(user, channel)
  }

  update(user: User, channel: Channel) {
    return ownsOrAdmin(user, channel)
  }

  delete(user: User, channel: Channel) {
    return ownsOrAdmin(user, channel)
  }
}
