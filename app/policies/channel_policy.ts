import type User from '#models/user'
import type Channel from '#models/channel'
import { BasePolicy } from '@adonisjs/bouncer'

/**
 * A user reaches only their own Channels; an admin reaches all.
 */
export default class ChannelPolicy extends BasePolicy {
  view(user: User, channel: Channel) {
    return user.isAdmin || channel.userId === user.id
  }

  update(user: User, channel: Channel) {
    return user.isAdmin || channel.userId === user.id
  }

  delete(user: User, channel: Channel) {
    return user.isAdmin || channel.userId === user.id
  }
}
