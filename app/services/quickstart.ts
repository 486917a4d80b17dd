import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import hash from '@adonisjs/core/services/hash'
import { Secret } from '@adonisjs/core/helpers'
import User from '#models/user'
import Token from '#models/token'
import UserService from '#services/user_service'
import TokenService from '#services/token_service'
import { pingUrlOf } from '#transformers/token_transformer'

export interface QuickstartCredentials {
  email: string
  password: string
  apiKey: string
  demoPingUrl: string
}

const ADMIN_EMAIL = 'admin@example.com'
const KEY_NAME = 'quick start'

async function readState(path: string): Promise<Partial<QuickstartCredentials>> {
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch {
    return {}
  }
}

async function ensureAdmin(state: Partial<QuickstartCredentials>) {
  const email = state.email ?? ADMIN_EMAIL
  const existing = await UserService.findByEmail(email)
  const password =
    existing && state.password && (await hash.verify(existing.password, state.password))
      ? state.password
      : randomBytes(12).toString('base64url')
  if (!existing) {
    return { user: await UserService.create({ email, password, isAdmin: true }), password }
  }
  if (password !== state.password) {
    existing.password = password
    await existing.save()
  }
  return { user: existing, password }
}

async function ensureApiKey(user: User, stored: string | undefined) {
  if (stored) {
    const key = await User.apiKeys.verify(new Secret(stored))
    if (key && String(key.tokenableId) === String(user.id)) {
      return stored
    }
  }
  for (const key of await User.apiKeys.all(user)) {
    if (key.name === KEY_NAME) {
      await User.apiKeys.delete(user, key.identifier)
    }
  }
  return UserService.createApiKey(user, 'read-write', KEY_NAME)
}

async function ensureDemoToken(user: User) {
  const existing = await Token.query().where('user_id', user.id).where('slug', 'demo').first()
  if (existing) {
    return existing
  }
  const demo = { name: 'Demo', slug: 'demo', tags: ['demo'], timeout: 3600, grace: 300 }
  const { token } = await TokenService.create(user, demo)
  return token
}

/**
 * Seeds an admin, an API key and a demo Token once, and on every later run
 * hands back credentials that still work (kept in a local, git-ignored file).
 */
export async function ensureQuickstart(statePath: string): Promise<QuickstartCredentials> {
  const state = await readState(statePath)
  const { user, password } = await ensureAdmin(state)
  const apiKey = await ensureApiKey(user, state.apiKey)
  const token = await ensureDemoToken(user)
  const credentials = { email: user.email, password, apiKey, demoPingUrl: pingUrlOf(token) }
  await mkdir(dirname(statePath), { recursive: true })
  await writeFile(statePath, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 })
  return credentials
}
