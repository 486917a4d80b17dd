import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import { Secret } from '@adonisjs/core/helpers'
import User from '#models/user'
import UserService from '#services/accounts/user_service'
import { PASSWORD_MIN_LENGTH } from '#validators/rules'

export interface FirstSetupOptions {
  /** ARN of the secret holding `{"email", "password"}` of the first admin. */
  adminSecret: string
  /** ARN of the secret that holds the smoke tests' API key, or a placeholder. */
  apiKeySecret: string
  apiKeyName: string
}

export interface FirstSetupResult {
  email: string
  admin: 'created' | 'kept'
  apiKey: 'created' | 'kept'
}

const clients = new Map<string, SecretsManagerClient>()

/** Secrets Manager in the secret's own region (an ARN names it), one client a region. */
function clientFor(arn: string) {
  const region = arn.split(':')[3]
  if (!arn.startsWith('arn:') || !region) {
    throw new Error(`"${arn}" is not a Secrets Manager ARN`)
  }
  if (!clients.has(region)) {
    clients.set(region, new SecretsManagerClient({ region }))
  }
  return clients.get(region)!
}

async function readSecret(arn: string) {
  const answer = await clientFor(arn).send(new GetSecretValueCommand({ SecretId: arn }))
  return answer.SecretString ?? ''
}

function adminCredentials(text: string, arn: string) {
  try {
    const { email, password } = JSON.parse(text)
    if (
      typeof email === 'string' &&
      typeof password === 'string' &&
      password.length >= PASSWORD_MIN_LENGTH
    ) {
      return { email, password }
    }
  } catch {}
  throw new Error(`the secret ${arn} holds no {"email", "password"} for the first admin`)
}

/** The user with the admin's email; made an admin with the secret's password only when missing. */
async function ensureAdmin(credentials: { email: string; password: string }) {
  const existing = await UserService.findByEmail(credentials.email)
  if (existing) {
    return { user: existing, created: false }
  }
  return { user: await UserService.create({ ...credentials, isAdmin: true }), created: true }
}

/** A key that still signs in a User who is not disabled, with write access. */
async function works(value: string) {
  const key = await User.apiKeys.verify(new Secret(value))
  if (!key || !key.abilities.includes('write')) {
    return false
  }
  const owner = await User.find(key.tokenableId)
  return Boolean(owner && !owner.isDisabled)
}

async function newKey(user: User, name: string) {
  for (const key of await User.apiKeys.all(user)) {
    if (key.name === name) {
      await User.apiKeys.delete(user, key.identifier)
    }
  }
  return UserService.createApiKey(user, 'read-write', name)
}

/**
 * The first setup of a deployed environment: the first admin (never
 * changing an existing one's password) and a read-write API key for the
 * smoke tests, written to its Secrets Manager secret only when the secret
 * holds no key that works. Returns what it did; it never returns a secret.
 */
export async function firstSetup(options: FirstSetupOptions): Promise<FirstSetupResult> {
  const credentials = adminCredentials(await readSecret(options.adminSecret), options.adminSecret)
  const { user, created } = await ensureAdmin(credentials)
  const result: FirstSetupResult = {
    email: user.email,
    admin: created ? 'created' : 'kept',
    apiKey: 'kept',
  }
  if (await works(await readSecret(options.apiKeySecret))) {
    return result
  }
  const value = await newKey(user, options.apiKeyName)
  await clientFor(options.apiKeySecret).send(
    new PutSecretValueCommand({ SecretId: options.apiKeySecret, SecretString: value })
  )
  return { ...result, apiKey: 'created' }
}
