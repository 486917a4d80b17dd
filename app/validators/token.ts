import vine from '@vinejs/vine'
import { CronExpressionParser } from 'cron-parser'

const PERIOD = { min: 60, max: 31_536_000 }

export function isValidTimeZone(tz: string) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

export function isValidCron(expression: string) {
  try {
    CronExpressionParser.parse(expression, { strict: false })
    return expression.trim().split(/\s+/).length === 5
  } catch {
    return false
  }
}

const cronRule = vine.createRule((value, _, field) => {
  if (typeof value === 'string' && !isValidCron(value)) {
    field.report('The {{ field }} field must be a valid 5-field cron expression', 'cron', field)
  }
})

const timeZoneRule = vine.createRule((value, _, field) => {
  if (typeof value === 'string' && !isValidTimeZone(value)) {
    field.report('The {{ field }} field must be an IANA time zone', 'tz', field)
  }
})

const fields = {
  slug: vine
    .string()
    .trim()
    .maxLength(100)
    .regex(/^[a-z0-9_-]+$/)
    .nullable()
    .optional(),
  tags: vine
    .array(vine.string().trim().minLength(1).maxLength(50).regex(/^\S+$/))
    .maxLength(20)
    .optional(),
  desc: vine.string().trim().maxLength(5000).optional(),
  kind: vine.enum(['simple', 'cron'] as const).optional(),
  timeout: vine.number().withoutDecimals().range([PERIOD.min, PERIOD.max]).optional(),
  grace: vine.number().withoutDecimals().range([PERIOD.min, PERIOD.max]).optional(),
  schedule: vine.string().trim().maxLength(100).use(cronRule()).optional(),
  tz: vine.string().trim().maxLength(64).use(timeZoneRule()).optional(),
  manual_resume: vine.boolean().optional(),
}

export const createTokenValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100),
  ...fields,
})

export const listTokensValidator = vine.create({
  status: vine.enum(['new', 'up', 'grace', 'down', 'paused', 'started'] as const).optional(),
  tag: vine.string().trim().maxLength(50).optional(),
  q: vine.string().trim().maxLength(100).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
  cursor: vine.string().maxLength(100).optional(),
})

export const listPingsValidator = vine.create({
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
  cursor: vine.string().maxLength(100).optional(),
})
