import type { HttpContext } from '@adonisjs/core/http'
import TokenService from '#services/tokens/token_service'
import CheckWriter from '#services/api_v3/check_writer'
import CheckReads from '#services/api_v3/check_reads'
import { readCheckSpec } from '#validators/check_v3'
import { checkDict } from '#transformers/check_v3_transformer'
import { checkOrAnswer, v3Key } from '#policies/v3_visible'

/** The list's filters: every `tag` given (AND), and one `slug` */
function listFilters(qs: Record<string, unknown>) {
  const tags = [qs.tag].flat().filter((tag): tag is string => typeof tag === 'string' && !!tag)
  const slug = typeof qs.slug === 'string' ? qs.slug : ''
  return { tags: [...new Set(tags)], slug }
}

/**
 * Checks of the Management API v3 (healthchecks' `/api/v3/checks/`), over Tokens.
 */
export default class ChecksController {
  async index(ctx: HttpContext) {
    const key = v3Key(ctx)
    const { tags, slug } = listFilters(ctx.request.qs())
    const tokens = await CheckReads.list(key, tags, slug)
    const now = new Date()
    return { checks: tokens.map((token) => checkDict(token, key.readonly, now)) }
  }

  async store(ctx: HttpContext) {
    const read = await readCheckSpec(ctx.request.body())
    if ('error' in read) {
      return ctx.response.status(400).json({ error: read.error })
    }
    const result = await CheckWriter.create(v3Key(ctx), read.spec)
    if (!result.ok) {
      return ctx.response.status(400).json({ error: result.error })
    }
    return ctx.response.status(result.created ? 201 : 200).json(checkDict(result.token, false))
  }

  async show(ctx: HttpContext) {
    const token = await checkOrAnswer(ctx, ctx.params.id)
    return token && checkDict(token, v3Key(ctx).readonly)
  }

  async update(ctx: HttpContext) {
    const token = await checkOrAnswer(ctx, ctx.params.id)
    if (!token) {
      return
    }
    const read = await readCheckSpec(ctx.request.body())
    if ('error' in read) {
      return ctx.response.status(400).json({ error: read.error })
    }
    const result = await CheckWriter.update(v3Key(ctx), token, read.spec)
    if (!result.ok) {
      return ctx.response.status(400).json({ error: result.error })
    }
    return checkDict(result.token, false)
  }

  async destroy(ctx: HttpContext) {
    const token = await checkOrAnswer(ctx, ctx.params.id)
    if (!token) {
      return
    }
    const answer = checkDict(token, false)
    await TokenService.remove(token)
    return answer
  }

  async pause(ctx: HttpContext) {
    const token = await checkOrAnswer(ctx, ctx.params.id)
    return token && checkDict(await TokenService.pause(token), false)
  }

  async resume(ctx: HttpContext) {
    const token = await checkOrAnswer(ctx, ctx.params.id)
    if (!token) {
      return
    }
    if (token.status !== 'paused') {
      return ctx.response
        .status(409)
        .header('Content-Type', 'text/plain')
        .send('check is not paused')
    }
    return checkDict(await TokenService.resume(token), false)
  }
}
