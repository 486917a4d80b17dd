import type { HttpContext } from '@adonisjs/core/http'
import { appUrl } from '#config/app'
import ProjectService, { type MemberResult } from '#services/projects/project_service'
import { currentProject } from '#controllers/admin/projects_controller'
import { inviteValidator, memberRoleValidator, transferValidator } from '#validators/project'

const ERRORS = {
  not_found: 'No such member',
  not_member: 'No such member',
  last_owner: 'The owner cannot leave: transfer the Project first',
  is_owner: 'The owner’s role changes only by a transfer',
}

function done(ctx: HttpContext, result: MemberResult, success: string) {
  ctx.session.flash(result.ok ? 'success' : 'error', result.ok ? success : ERRORS[result.error])
  return ctx.response.redirect().toRoute('projects.show')
}

/** Members of the current Project: invitations, roles, removal, leaving, transfer. */
export default class ProjectMembersController {
  async invite(ctx: HttpContext) {
    const project = await currentProject(ctx, 'manage')
    const { email, role } = await ctx.request.validateUsing(inviteValidator)
    await ProjectService.invite(project, ctx.auth.getUserOrFail(), email, role, appUrl)
    ctx.session.flash('success', `Invitation sent to ${email}`)
    return ctx.response.redirect().toRoute('projects.show')
  }

  async update(ctx: HttpContext) {
    const project = await currentProject(ctx, 'manage')
    const { role } = await ctx.request.validateUsing(memberRoleValidator)
    const result = await ProjectService.setRole(project, Number(ctx.params.userId), role)
    return done(ctx, result, 'Role changed')
  }

  async destroy(ctx: HttpContext) {
    const project = await currentProject(ctx, 'manage')
    const result = await ProjectService.removeMember(project, Number(ctx.params.userId))
    return done(ctx, result, 'Member removed')
  }

  async leave(ctx: HttpContext) {
    const project = await currentProject(ctx)
    const result = await ProjectService.removeMember(project, ctx.auth.getUserOrFail().id)
    if (result.ok) {
      ctx.session.forget('projectId')
      ctx.session.flash('success', `You left "${project.name}"`)
      return ctx.response.redirect().toRoute('dashboard')
    }
    return done(ctx, result, '')
  }

  async transfer(ctx: HttpContext) {
    const project = await currentProject(ctx, 'manage')
    const { user_id: userId } = await ctx.request.validateUsing(transferValidator)
    const result = await ProjectService.transfer(project, userId)
    return done(ctx, result, 'Ownership transferred')
  }

  /** The invitation link: a page with one button, so that a mail scanner's GET accepts nothing. */
  async showInvite({ params, view }: HttpContext) {
    return view.render('pages/projects/invite', { code: params.code })
  }

  async accept({ auth, params, response, session }: HttpContext) {
    const projectId = await ProjectService.accept(auth.getUserOrFail(), String(params.code))
    if (projectId === null) {
      session.flash('error', 'This invitation is unknown or used already')
      return response.redirect().toRoute('dashboard')
    }
    session.put('projectId', projectId)
    session.flash('success', 'You joined the Project')
    return response.redirect().toRoute('projects.show')
  }
}
