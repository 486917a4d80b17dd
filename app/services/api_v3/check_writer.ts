import { errors } from '@vinejs/vine'
import type Token from '#models/token'
import TokenService, { type TokenChanges, type TokenInput } from '#services/tokens/token_service'
import { V3Scope, type V3Key } from '#services/api_v3/scope'
import { normaliseTags } from '#validators/token'
import type { CheckSpec } from '#validators/check_v3'

type Written = { ok: true; token: Token; created: boolean } | { ok: false; error: string }

/**
 * A `channels` string as healthchecks reads it: "*" every Channel the key
 * sees, "" none, else ids or names separated by commas; undefined: unchanged.
 */
async function channelIds(key: V3Key, spec: CheckSpec): Promise<string[] | string | undefined> {
  if (spec.channels === undefined) {
    return undefined
  }
  const available = await V3Scope.channels(key).select('id', 'name')
  if (spec.channels === '*') {
    return available.map((channel) => channel.id)
  }
  if (spec.channels === '') {
    return []
  }
  const ids = new Set<string>()
  for (const part of spec.channels.split(',')) {
    if (part === '') {
      return 'empty channel identifier'
    }
    const matches = available.filter((channel) => channel.id === part || channel.name === part)
    if (matches.length !== 1) {
      return `${matches.length ? 'non-unique' : 'invalid'} channel identifier: ${part}`
    }
    ids.add(matches[0].id)
  }
  return [...ids]
}

/**
 * The fields of a spec as a Token's changes. `subject` and `subject_fail`
 * (deprecated in healthchecks) set the keywords and look in the subject.
 */
function changesOf(spec: CheckSpec, current: { successKw: string; failureKw: string }) {
  const changes: TokenChanges = {
    name: spec.name,
    slug: spec.slug === undefined ? undefined : spec.slug || null,
    tags: spec.tags,
    desc: spec.desc,
    grace: spec.grace,
    manual_resume: spec.manual_resume,
    methods: spec.methods,
    tz: spec.tz,
    start_kw: spec.start_kw,
    success_kw: spec.subject ?? spec.success_kw,
    failure_kw: spec.subject_fail ?? spec.failure_kw,
    filter_subject: spec.filter_subject,
    filter_body: spec.filter_body ?? spec.filter_http_body,
  }
  if (spec.subject !== undefined || spec.subject_fail !== undefined) {
    const success = changes.success_kw ?? current.successKw
    const failure = changes.failure_kw ?? current.failureKw
    changes.filter_subject = Boolean(success || failure)
  }
  // a schedule makes the check cron or OnCalendar (read by its syntax), a timeout alone simple
  if (spec.schedule !== undefined) {
    changes.schedule = spec.schedule
  } else if (spec.timeout !== undefined) {
    changes.timeout = spec.timeout
    changes.kind = 'simple'
  }
  return changes
}

/** The existing check a create names with `unique`: every listed field must match. */
async function lookup(key: V3Key, spec: CheckSpec) {
  if (!spec.unique?.length || spec.unique.some((field) => spec[field] === undefined)) {
    return null
  }
  const query = V3Scope.tokens(key).preload('channels')
  for (const field of new Set(spec.unique)) {
    if (field === 'tags') {
      query.whereRaw('tags = ?::text[]', [normaliseTags(spec.tags) ?? []])
    } else if (field === 'slug' && !spec.slug) {
      query.whereNull('slug')
    } else {
      query.where(field, spec[field]!)
    }
  }
  return query.orderBy('id').first()
}

/** The text of a refusal the Token service found (a taken slug), as v3 writes errors */
async function written(work: () => Promise<Written>): Promise<Written> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof errors.E_VALIDATION_ERROR) {
      const first = (error.messages as { message: string }[])[0]
      return { ok: false, error: `json validation error: ${first.message}` }
    }
    throw error
  }
}

/**
 * Check writes of the v3 API, over the one Token service.
 */
export default class CheckWriter {
  static create(key: V3Key, spec: CheckSpec): Promise<Written> {
    return written(async () => {
      const channels = await channelIds(key, spec)
      if (typeof channels === 'string') {
        return { ok: false, error: channels }
      }
      const existing = await lookup(key, spec)
      if (existing) {
        const token = await TokenService.update(existing, {
          ...changesOf(spec, existing),
          channels,
        })
        return { ok: true, token, created: false }
      }
      const input = { ...changesOf(spec, { successKw: '', failureKw: '' }), channels }
      const { token } = await TokenService.create(
        key.user,
        { ...input, name: input.name ?? '' } as TokenInput,
        key.access.projectId
      )
      return { ok: true, token, created: true }
    })
  }

  static update(key: V3Key, token: Token, spec: CheckSpec): Promise<Written> {
    return written(async () => {
      const channels = await channelIds(key, spec)
      if (typeof channels === 'string') {
        return { ok: false, error: channels }
      }
      const changes = { ...changesOf(spec, token), channels }
      return { ok: true, token: await TokenService.update(token, changes), created: false }
    })
  }
}
