import db from '@adonisjs/lucid/services/db'
import type { ProjectRole } from '#models/project'

/**
 * What one request may reach: the Projects it is a member of, with its role in each,
 * and the current one (where new rows go, what lists show). A session reaches every
 * Project of its User; an API key only the Project it was created in.
 */
export interface ProjectAccess {
  userId: number
  /** An admin in the admin UI sees every Project; an API key never does. */
  seesAll: boolean
  projectId: number
  roles: Map<number, ProjectRole>
}

export type ProjectAction = 'view' | 'update' | 'delete' | 'manage'

/**
 * The one answer to "may this request see or change this row of that Project": every
 * policy and every list asks it (lists by `listedProjectIds`). A row it denies answers 404.
 * read-only members see; managers change Tokens and Channels; owners also manage members.
 */
export function reach(access: ProjectAccess | undefined, projectId: number, action: ProjectAction) {
  if (!access) {
    return false
  }
  const role = access.roles.get(projectId)
  if (!role) {
    return access.seesAll
  }
  if (action === 'view') {
    return true
  }
  if (action === 'manage') {
    return role === 'owner'
  }
  return role !== 'read-only' || access.seesAll
}

/** The Projects a list shows: the current one (null: all of them, an admin's view). */
export function listedProjectId(access: ProjectAccess) {
  return access.seesAll ? null : access.projectId
}

export async function memberships(userId: number) {
  const rows = await db
    .from('project_members')
    .where('user_id', userId)
    .orderBy('project_id')
    .select('project_id', 'role')
  return new Map<number, ProjectRole>(rows.map((row) => [row.project_id, row.role]))
}

/** A session's access: every membership, the current Project from the session when still one. */
export async function sessionAccess(
  user: { id: number; isAdmin: boolean },
  wanted: number | undefined
): Promise<ProjectAccess | null> {
  const roles = await memberships(user.id)
  const first = roles.keys().next().value
  if (first === undefined) {
    return null
  }
  const projectId = wanted !== undefined && roles.has(wanted) ? wanted : first
  return { userId: user.id, seesAll: user.isAdmin, projectId, roles }
}

/** An API key's access: its Project only, with its User's role there (none: no access). */
export async function keyAccess(userId: number, keyId: number): Promise<ProjectAccess | null> {
  const row = await db
    .from('api_keys')
    .join('project_members', (join) => {
      join.on('project_members.project_id', 'api_keys.project_id')
      join.on('project_members.user_id', 'api_keys.tokenable_id')
    })
    .where('api_keys.id', keyId)
    .where('api_keys.tokenable_id', userId)
    .select('api_keys.project_id', 'project_members.role')
    .first()
  if (!row) {
    return null
  }
  return {
    userId,
    seesAll: false,
    projectId: row.project_id,
    roles: new Map([[row.project_id, row.role]]),
  }
}

/** A User's first own Project: where rows made without a Project go (quick start, auto-created). */
export async function defaultProjectId(userId: number): Promise<number> {
  const row = await db
    .from('project_members')
    .where({ user_id: userId, role: 'owner' })
    .orderBy('project_id')
    .select('project_id')
    .firstOrFail()
  return row.project_id
}
