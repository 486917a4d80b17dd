import type { HttpContext } from '@adonisjs/core/http'
import CheckReads from '#services/api_v3/check_reads'
import { flipsQueryValidator } from '#validators/check_v3'
import { flipDict, pingDict } from '#transformers/check_v3_transformer'
import { checkOrAnswer } from '#policies/v3_visible'

/**
 * A check's Pings, a Ping's body and a check's Flips, as healthchecks' v3 API.
 */
export default class CheckPingsController {
  async index(ctx: HttpContext) {
    const token = await checkOrAnswer(ctx, ctx.params.id)
    if (!token) {
      return
    }
    const pings = await CheckReads.pings(token)
    return { pings: pings.map(({ ping, hasBody }) => pingDict(ping, token.uuid, hasBody)) }
  }

  async body(ctx: HttpContext) {
    const token = await checkOrAnswer(ctx, ctx.params.id)
    if (!token) {
      return
    }
    const body = /^\d{1,15}$/.test(ctx.params.n)
      ? await CheckReads.pingBody(token, Number(ctx.params.n))
      : null
    if (!body) {
      return ctx.response.status(404).send('')
    }
    return ctx.response.header('Content-Type', 'text/plain').send(body)
  }

  async flips(ctx: HttpContext) {
    const token = await checkOrAnswer(ctx, ctx.params.id)
    if (!token) {
      return
    }
    const [error, filters] = await flipsQueryValidator.tryValidate(ctx.request.qs())
    if (error) {
      return ctx.response.status(400).send('')
    }
    const flips = await CheckReads.flips(token, filters)
    return { flips: flips.map(flipDict) }
  }
}
