import type { HttpContext } from '@adonisjs/core/http'
import { findCheck, type V3Key } from '#services/api_v3/scope'

/**
 * The key's User, its Project (set by the v3 middleware), and whether the key is
 * read-only (it then sees no UUIDs).
 */
export function v3Key({ auth, access }: HttpContext): V3Key {
  const user = auth.getUserOrFail()
  return { user, access, readonly: !user.currentAccessToken?.allows('write') }
}

/**
 * The check a request names, or null once healthchecks' empty 404 or 403
 * (another's check) is sent.
 */
export async function checkOrAnswer(ctx: HttpContext, id: string) {
  const found = await findCheck(v3Key(ctx), id)
  if ('token' in found) {
    return found.token
  }
  ctx.response.status(found.missing === 'forbidden' ? 403 : 404).send('')
  return null
}
