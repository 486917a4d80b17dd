import { randomBytes } from 'node:crypto'
import type User from '#models/user'
import UserService, { type ApiKeyAccess } from '#services/accounts/user_service'
import TokenService, { type TokenInput } from '#services/tokens/token_service'
import ChannelService from '#services/alerts/channel_service'

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
