import { randomBytes } from 'node:crypto'
import type User from '#models/user'
import UserService, { type ApiKeyAccess } from '#services/accounts/user_service'
import TokenService, { type TokenInput } from '#services/tokens/token_service'
import ChannelService from '#services/alerts/channel_service'
import { listedProjectId, sessionAccess } from '#services/projects/project_access'

let counter = 0

export async function makeUser(
  overrides: { isAdmin?: boolean; email?: string; password?: string } = {}
) {
  counter += 1
  return UserService.create({
    email: overrides.email ?? `user${counter}-${randomBytes(3).toString('hex')}@example.com`,
    password: overrides.password ?? 'secret-password',
    isAdmin: overrides.isAdmin ?? false,
  })
}

export async function makeApiKey(user: User, access: ApiKeyAccess = 'read-write') {
  return UserService.createApiKey(user, access, 'test')
}

export async function makeToken(user: User, input: Partial<TokenInput> = {}) {
  const { token } = await TokenService.create(user, { name: input.name ?? 'Backup', ...input })
  return token
}

export async function makeChannel(user: User, name = 'Ops', config: object = {}) {
  return ChannelService.create(user, {
    kind: 'webhook',
    name,
    config: { url: 'https://hooks.example.com/ngip', ...config },
  })
}

/** What a session of this User reaches: every Project of theirs, the first one current. */
export async function accessOf(user: User) {
  return (await sessionAccess(user, undefined))!
}

/** The Project a session of this User lists: its default one, or all of them for an admin. */
export async function listedOf(user: User) {
  return listedProjectId(await accessOf(user))
}
