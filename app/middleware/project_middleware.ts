import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import NotFoundException from '#exceptions/not_found_exception'
import ProjectService from '#services/projects/project_service'
import { keyAccess, sessionAccess, type ProjectAccess } from '#services/projects/project_access'

/**
 * Sets what this request may reach (`ctx.access`), after authentication: an API key's
 * Project, or the session's current Project among its User's. A User left without any
 * Project gets a new default one.
 */
export default class ProjectMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = ctx.auth.getUserOrFail()
    const key = user.currentAccessToken
    if (key) {
      const access = await keyAccess(user.id, Number(key.identifier))
      if (!access) {
        // The key's User is no longer a member of its Project.
        throw new NotFoundException('Project')
      }
      ctx.access = access
      return next()
    }
    const wanted = ctx.session.get('projectId')
    let access = await sessionAccess(user, typeof wanted === 'number' ? wanted : undefined)
    if (!access) {
      await ProjectService.createDefault(user)
      access = (await sessionAccess(user, undefined))!
    }
    ctx.access = access
    const projects = await ProjectService.ofUser(user.id)
    ctx.view.share({
      projects,
      currentProject: projects.find((project) => project.id === access.projectId),
    })
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    access: ProjectAccess
  }
}
