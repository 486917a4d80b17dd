import { createHash, randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import mail from '@adonisjs/mail/services/main'
import Project, { type ProjectRole } from '#models/project'
import type User from '#models/user'
import { forgetApiKeys } from '#services/accounts/api_key_cache'
import TokenRegistry from '#services/registry/token_registry'

export type MemberError = 'not_found' | 'last_owner' | 'not_member' | 'is_owner'
export type MemberResult = { ok: true } | { ok: false; error: MemberError }

export interface MemberRow {
  userId: number
  email: string
  role: ProjectRole
}

const hashCode = (code: string) => createHash('sha256').update(code).digest('hex')

/**
 * Projects and their members: the default Project of a new User, invitations by email,
 * roles, leaving and transferring. Who may call each is the policies' answer.
 */
/** Days an invitation link can be accepted in */
export const INVITE_DAYS = 7

export default class ProjectService {
  /** "<name>'s project", or "Default" for a User without a name. */
  static defaultName(user: { fullName: string | null }) {
    const name = user.fullName?.trim()
    return name ? `${name}'s project`.slice(0, 100) : 'Default'
  }

  static async create(owner: User, name: string, trx?: TransactionClientContract) {
    const project = await Project.create({ name, ownerId: owner.id }, { client: trx })
    await (trx ?? db)
      .table('project_members')
      .insert({ project_id: project.id, user_id: owner.id, role: 'owner', created_at: new Date() })
    return project
  }

  static createDefault(user: User, trx?: TransactionClientContract) {
    return this.create(user, this.defaultName(user), trx)
  }

  static find(id: number) {
    return Project.find(id)
  }

  static findByUuid(uuid: string) {
    return /^[0-9a-f-]{36}$/i.test(uuid) ? Project.findBy('uuid', uuid.toLowerCase()) : null
  }

  /** The Projects a User is a member of, with their role, oldest first. */
  static async ofUser(userId: number) {
    const rows = await db
      .from('projects')
      .join('project_members', 'project_members.project_id', 'projects.id')
      .where('project_members.user_id', userId)
      .orderBy('projects.id')
      .select('projects.id', 'projects.uuid', 'projects.name', 'project_members.role')
    return rows as { id: number; uuid: string; name: string; role: ProjectRole }[]
  }

  static async members(projectId: number): Promise<MemberRow[]> {
    const rows = await db
      .from('project_members')
      .join('users', 'users.id', 'project_members.user_id')
      .where('project_id', projectId)
      .orderBy('users.email')
      .select('users.id', 'users.email', 'project_members.role')
    return rows.map((row) => ({ userId: row.id, email: row.email, role: row.role }))
  }

  static async rename(project: Project, name: string) {
    project.name = name
    await project.save()
  }

  /**
   * Deletes a Project with all it owns (Tokens and their history, Channels, API keys),
   * then takes its Tokens off the edge.
   */
  static async remove(project: Project) {
    const tokens = await db.from('tokens').where('project_id', project.id).select('uuid')
    await project.delete()
    forgetApiKeys()
    // after the commit: until tokens:sync, the edge would otherwise accept their pings
    await TokenRegistry.untrackMany(tokens.map((token) => token.uuid))
  }

  /** Mails an invitation with a one-time link; accepting it makes the signed-in User a member. */
  static async invite(
    project: Project,
    by: User,
    email: string,
    role: ProjectRole,
    baseUrl: string
  ) {
    const code = randomBytes(24).toString('base64url')
    await db.table('project_invites').insert({
      project_id: project.id,
      email: email.trim().toLowerCase(),
      role: role === 'owner' ? 'manager' : role,
      code_hash: hashCode(code),
      invited_by: by.id,
      created_at: new Date(),
    })
    const link = `${baseUrl}/invites/${code}`
    await mail.send((message) => {
      message
        .to(email)
        .subject(`You are invited to the ngip project ${project.name}`)
        .text(
          `${by.email} invites you to the project "${project.name}" as ${role}.\n\n` +
            `Accept within ${INVITE_DAYS} days: ${link}\n`
        )
    })
    return link
  }

  /** Accepts an invitation for the signed-in User; null when the link is unknown, used or expired. */
  static async accept(user: User, code: string) {
    return db.transaction(async (trx) => {
      const invite = await trx
        .from('project_invites')
        .where('code_hash', hashCode(code))
        .where('created_at', '>', new Date(Date.now() - INVITE_DAYS * 86_400_000))
        .forUpdate()
        .first()
      if (!invite) {
        return null
      }
      await trx.from('project_invites').where('id', invite.id).delete()
      await trx
        .table('project_members')
        .insert({
          project_id: invite.project_id,
          user_id: user.id,
          role: invite.role,
          created_at: new Date(),
        })
        .onConflict(['project_id', 'user_id'])
        .ignore()
      return invite.project_id as number
    })
  }

  static async setRole(project: Project, userId: number, role: ProjectRole): Promise<MemberResult> {
    if (userId === project.ownerId || role === 'owner') {
      return { ok: false, error: 'is_owner' }
    }
    const changed = await db
      .from('project_members')
      .where({ project_id: project.id, user_id: userId })
      .update({ role })
    forgetApiKeys()
    return Number(changed) > 0 ? { ok: true } : { ok: false, error: 'not_member' }
  }

  /** Takes a member out (leaving is removing oneself); the owner must transfer first. */
  static async removeMember(project: Project, userId: number): Promise<MemberResult> {
    if (userId === project.ownerId) {
      return { ok: false, error: 'last_owner' }
    }
    const removed = await db
      .from('project_members')
      .where({ project_id: project.id, user_id: userId })
      .delete()
    forgetApiKeys()
    return Number(removed) > 0 ? { ok: true } : { ok: false, error: 'not_member' }
  }

  /** Makes another member the owner; the old owner stays as a manager. */
  static async transfer(project: Project, toUserId: number): Promise<MemberResult> {
    return db.transaction(async (trx) => {
      const member = await trx
        .from('project_members')
        .where({ project_id: project.id, user_id: toUserId })
        .first()
      if (!member) {
        return { ok: false, error: 'not_member' } as const
      }
      await trx
        .from('project_members')
        .where({ project_id: project.id, user_id: project.ownerId })
        .update({ role: 'manager' })
      await trx
        .from('project_members')
        .where({ project_id: project.id, user_id: toUserId })
        .update({ role: 'owner' })
      project.useTransaction(trx)
      project.ownerId = toUserId
      await project.save()
      return { ok: true } as const
    })
  }
}
