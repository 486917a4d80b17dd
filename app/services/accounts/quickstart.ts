import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import hash from '@adonisjs/core/services/hash'
import { Secret } from '@adonisjs/core/helpers'
import type { QuickstartCredentials } from '#lib/quickstart_text'
import User from '#models/user'
import Token from '#models/token'
import UserService from '#services/accounts/user_service'
import TokenService from '#services/tokens/token_service'
import { pingUrlOf } from '#transformers/token_transformer'

/** What storage/quickstart.json keeps: never the password, only a fingerprint of its hash. */
interface QuickstartState {
  email?: string
  apiKey?: string
  passwordFingerprint?: string
  /** Written by earlier releases; read once, shown once more, then dropped. */
  password?: string
}

const ADMIN_EMAIL = 'admin@example.com'
const KEY_NAME = 'quick start'

async function readState(path: string): Promise<QuickstartState | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch {
    return undefined
  }
}

/** Tells whether the stored hash is still the one the quick start set. */
function fingerprint(user: User) {
  return createHash('sha256').update(user.password).digest('base64url')
}

/** The admin's password as it stands: never changed here once the admin exists. */
async function passwordOf(admin: User, state: QuickstartState) {
  if (state.password && (await hash.verify(admin.password, state.password))) {
    return { passwordState: 'kept' as const, password: state.password }
  }
  if (state.password || state.passwordFingerprint) {
    const same = state.passwordFingerprint === fingerprint(admin)
    return { passwordState: same ? ('kept' as const) : ('changed' as const) }
  }
  return { passwordState: 'unknown' as const }
}

/** The key on record while it still works; a revoked one is never made again. */
async function apiKeyOf(admin: User, stored: string | undefined) {
  if (!stored) {
    return { apiKeyState: 'none' as const }
  }
  const key = await User.apiKeys.verify(new Secret(stored))
  return key && String(key.tokenableId) === String(admin.id)
    ? { apiKeyState: 'kept' as const, apiKey: stored }
    : { apiKeyState: 'revoked' as const }
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

/** The first start: a new admin, API key and demo Token; the password is returned, not stored. */
async function seed(email: string) {
  const password = randomBytes(12).toString('base64url')
  const admin = await UserService.create({ email, password, isAdmin: true })
  const apiKey = await UserService.createApiKey(admin, 'read-write', KEY_NAME)
  const credentials: QuickstartCredentials = {
    email: admin.email,
    password,
    passwordState: 'new',
    apiKey,
    apiKeyState: 'new',
  }
  return { admin, credentials }
}

/** A later start: what still works, touching neither the password nor a revoked key. */
async function reuse(admin: User, state: QuickstartState) {
  const credentials: QuickstartCredentials = {
    email: admin.email,
    ...(await passwordOf(admin, state)),
    ...(await apiKeyOf(admin, state.apiKey)),
  }
  return { admin, credentials }
}

/** The fingerprint of the password as shown: set when it is shown for the last time. */
function fingerprintToKeep(
  admin: User,
  state: QuickstartState | undefined,
  credentials: QuickstartCredentials
) {
  if (credentials.password) {
    return fingerprint(admin)
  }
  // An old record's password that no longer works: changed before this release.
  return state?.passwordFingerprint ?? (state?.password ? 'changed' : undefined)
}

async function isFirstStart(state: QuickstartState | undefined) {
  const anyUser = state ? await User.query().select('id').first() : null
  return !state || !anyUser
}

/**
 * Seeds an admin, an API key and a demo Token on the first start (no record,
 * or a database without users) and returns them. Later starts return what
 * still works and say what changed: an existing User's password is never
 * set again, a revoked key never comes back, and the password is never kept
 * on disk (the record holds the email, the key and a fingerprint of the hash).
 */
export async function ensureQuickstart(statePath: string): Promise<QuickstartCredentials> {
  const state = await readState(statePath)
  const email = state?.email ?? ADMIN_EMAIL
  const existing = await UserService.findByEmail(email)
  if (!existing && !(await isFirstStart(state))) {
    return { email, passwordState: 'deleted', apiKeyState: state?.apiKey ? 'revoked' : 'none' }
  }
  const { admin, credentials } = existing ? await reuse(existing, state ?? {}) : await seed(email)
  const token = await ensureDemoToken(admin)
  const record: QuickstartState = {
    email: admin.email,
    apiKey: credentials.apiKeyState === 'new' ? credentials.apiKey : state?.apiKey,
    passwordFingerprint: fingerprintToKeep(admin, state, credentials),
  }
  await mkdir(dirname(statePath), { recursive: true })
  await writeFile(statePath, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 })
  return { ...credentials, demoPingUrl: pingUrlOf(token) }
}
