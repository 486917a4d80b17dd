import type User from '#models/user'
import type Token from '#models/token'
import { inject } from '@adonisjs/core'
import { HttpContext } from '@adonisjs/core/http'
import { BasePolicy } from '@adonisjs/bouncer'
import { reach } from '#services/projects/project_access'

/**
 * A member of a Token's Project sees it; owners and managers change it (`reach`).
 */
@inject()
export default class TokenPolicy extends BasePolicy {
  constructor(protected ctx: HttpContext) {
    super()
  }

  view(_user: User, token: Pick<Token, 'projectId'>) {
    return reach(this.ctx.access, token.projectId, 'view')
  }

  update(_user: User, token: Pick<Token, 'projectId'>) {
    return reach(this.ctx.access, token.projectId, 'update')
  }

  delete(_user: User, token: Pick<Token, 'projectId'>) {
    return reach(this.ctx.access, token.projectId, 'delete')
  }
}
