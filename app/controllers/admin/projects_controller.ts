import type { HttpContext } from '@adonisjs/core/http'
import { appUrl } from '#config/app'
import ProjectService from '#services/projects/project_service'
import ProjectPolicy from '#policies/project_policy'
import NotFoundException from '#exceptions/not_found_exception'
import { BADGE_FORMATS, badgeUrls, badgeTags } from '#services/projects/badges'
import { projectNameValidator, switchProjectValidator } from '#validators/project'

/** The current Project of the session; a member's view, its owner's changes. */
export async function currentProject(ctx: HttpContext, action: 'view' | 'manage' = 'view') {
  const project = await ProjectService.find(ctx.access.projectId)
  if (!project || (await ctx.bouncer.with(ProjectPolicy).denies(action, project))) {
    throw new NotFoundException('Project')
  }
  return project
}

export default class ProjectsController {
  /** The Project settings page: name, members, invitations, badges, the metrics URL. */
  async show(ctx: HttpContext) {
    const project = await currentProject(ctx)
    const tags = await badgeTags(project.id)
    const badges = tags.map((tag) => {
      const urls = badgeUrls(project, tag)
      return {
        tag,
        urls: Object.fromEntries(
          BADGE_FORMATS.flatMap((format) => [
            [`${format}3`, urls[`${format}3`]],
            [`${format}2`, urls[format]],
          ])
        ),
      }
    })
    return ctx.view.render('pages/projects/show', {
      project,
      role: ctx.access.roles.get(project.id),
      members: await ProjectService.members(project.id),
      badges,
      metricsUrl: `${appUrl}/projects/${project.uuid}/metrics/<read-only API key>`,
    })
  }

  async store({ auth, request, response, session }: HttpContext) {
    const { name } = await request.validateUsing(projectNameValidator)
    const project = await ProjectService.create(auth.getUserOrFail(), name)
    session.put('projectId', project.id)
    session.flash('success', `Project "${name}" created`)
    return response.redirect().toRoute('projects.show')
  }

  async update(ctx: HttpContext) {
    const project = await currentProject(ctx, 'manage')
    const { name } = await ctx.request.validateUsing(projectNameValidator)
    await ProjectService.rename(project, name)
    ctx.session.flash('success', 'Project renamed')
    return ctx.response.redirect().toRoute('projects.show')
  }

  /** Deletes the current Project with its Tokens, Channels and API keys (its owner only). */
  async destroy(ctx: HttpContext) {
    const project = await currentProject(ctx, 'manage')
    await ProjectService.remove(project)
    ctx.session.forget('projectId')
    ctx.session.flash('success', `Project "${project.name}" deleted, with all it owned`)
    return ctx.response.redirect().toRoute('dashboard')
  }

  /** The project switcher: the session's current Project, one of its User's. */
  async switch({ access, request, response, session }: HttpContext) {
    const { project_id: projectId } = await request.validateUsing(switchProjectValidator)
    if (!access.roles.has(projectId)) {
      throw new NotFoundException('Project')
    }
    session.put('projectId', projectId)
    return response.redirect().toRoute('dashboard')
  }
}
