import type User from '#models/user'
import type Channel from '#models/channel'
import { inject } from '@adonisjs/core'
import { HttpContext } from '@adonisjs/core/http'
import { BasePolicy } from '@adonisjs/bouncer'
import { reach } from '#services/projects/project_access'

/**
 * A member of a Channel's Project sees it; owners and managers change it (`reach`).
 */
@inject()
export default class ChannelPolicy extends BasePolicy {
  constructor(protected ctx: HttpContext) {
    super()
  }

  view(_user: User, channel: Pick<Channel, 'projectId'>) {
    return reach(this.ctx.access, channel.projectId, 'view')
  }

  update(_user: User, channel: Pick<Channel, 'projectId'>) {
    return reach(this.ctx.access, channel.projectId, 'update')
  }

  delete(_user: User, channel: Pick<Channel, 'projectId'>) {
    return reach(this.ctx.access, channel.projectId, 'delete')
  }
}
