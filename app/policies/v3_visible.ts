import type { HttpContext } from '@adonisjs/core/http'
import { findCheck } from '#services/api_v3/scope'

/** The key's User, and whether the key is read-only (it then sees no UUIDs). */
export function v3Key({ auth }: HttpContext) {
  const user = auth.getUserOrFail()
  return { user, readonly: !user.currentAccessToken?.allows('write') }
}

/**
 * The check a request names, or null once healthchecks' empty 404 or 403
 * (another's check) is sent.
 */
export async function checkOrAnswer(ctx: HttpContext, id: string) {
  const found = await findCheck(v3Key(ctx).user, id)
  if ('token' in found) {
    return found.token
  }
  ctx.response.status(found.missing === 'forbidden' ? 403 : 404).send('')
  return null
}
