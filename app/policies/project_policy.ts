import type User from '#models/user'
import type Project from '#models/project'
import { inject } from '@adonisjs/core'
import { HttpContext } from '@adonisjs/core/http'
import { BasePolicy } from '@adonisjs/bouncer'
import { reach } from '#services/projects/project_access'

/**
 * Every member sees a Project and may leave it; its owner manages members, transfers it.
 */
@inject()
export default class ProjectPolicy extends BasePolicy {
  constructor(protected ctx: HttpContext) {
    super()
  }

  view(_user: User, project: Project) {
    return this.ctx.access.roles.has(project.id)
  }

  manage(_user: User, project: Project) {
    return reach(this.ctx.access, project.id, 'manage')
  }
}
