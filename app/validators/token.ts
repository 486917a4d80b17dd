import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { ANY_CASE_UUID_RE } from '#lib/uuid'
import { CronExpressionParser } from 'cron-parser'
import { text } from '#validators/rules'
import { MAX_WINDOW_MINUTES } from '#models/maintenance_window'
import { SNOOZE_MINUTES } from '#lib/ping_message'

const PERIOD = { min: 60, max: 31_536_000 }
/** Run rules take any whole number of seconds up to a year; null turns the rule off */
const RUN_SECONDS = { min: 1, max: 31_536_000 }
export const FAIL_THRESHOLD = { min: 1, max: 100 }
const runSeconds = () =>
  vine.number().withoutDecimals().range([RUN_SECONDS.min, RUN_SECONDS.max]).nullable().optional()

export function isValidTimeZone(tz: string) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

export function isValidCron(expression: string) {
  if (expression.trim().split(/\s+/).length !== 5) {
    return false
  }
  try {
    CronExpressionParser.parse(expression, { strict: false })
    return true
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

/**
 * Tags come as an array or, as healthchecks takes them, one space-separated string.
 */
const tags = vine.union([
  vine.union.if((value) => typeof value === 'string', text().trim().maxLength(500)),
  vine.union.else(
    vine.array(text().trim().minLength(1).maxLength(50).regex(/^\S+$/)).maxLength(20)
  ),
])

const tokenFields = {
  slug: vine
    .string()
    .trim()
    .maxLength(100)
    .regex(/^[a-z0-9_-]+$/)
    .nullable()
    .optional(),
  tags: tags.optional(),
  desc: text().trim().maxLength(5000).optional(),
  kind: vine.enum(['simple', 'cron'] as const).optional(),
  timeout: vine.number().withoutDecimals().range([PERIOD.min, PERIOD.max]).optional(),
  grace: vine.number().withoutDecimals().range([PERIOD.min, PERIOD.max]).optional(),
  schedule: vine.string().trim().maxLength(100).use(cronRule()).optional(),
  tz: vine.string().trim().maxLength(64).use(timeZoneRule()).optional(),
  manual_resume: vine.boolean().optional(),
  max_runtime: runSeconds(),
  min_interval: runSeconds(),
  min_duration: runSeconds(),
  fail_threshold: vine
    .number()
    .withoutDecimals()
    .range([FAIL_THRESHOLD.min, FAIL_THRESHOLD.max])
    .optional(),
  channels: vine
    .array(vine.string().trim().regex(ANY_CASE_UUID_RE))
    .maxLength(50)
    .distinct()
    .optional(),
  /** A scheduled maintenance window: opens at each fire of this cron line; null for none */
  maintenance_schedule: vine.string().trim().maxLength(100).use(cronRule()).nullable().optional(),
  maintenance_minutes: vine.number().withoutDecimals().range([0, MAX_WINDOW_MINUTES]).optional(),
  maintenance_tz: vine.string().trim().maxLength(64).use(timeZoneRule()).optional(),
  /** The Tokens this one depends on (their ids); cycles are refused */
  depends_on: vine
    .array(vine.string().trim().regex(ANY_CASE_UUID_RE))
    .maxLength(50)
    .distinct()
    .optional(),
}

export const createTokenValidator = vine.create({
  name: text().trim().minLength(1).maxLength(100),
  ...tokenFields,
  unique: vine
    .array(vine.enum(['name', 'slug'] as const))
    .maxLength(2)
    .optional(),
})

export const updateTokenValidator = vine.create({
  name: text().trim().minLength(1).maxLength(100).optional(),
  ...tokenFields,
})

/**
 * Messages that say what a field takes, and for the entries of array fields,
 * which Vine would name by their index alone ("The 0 field format is invalid").
 */
const tokenMessages = new SimpleMessagesProvider({
  'name.minLength': 'The name must not be empty',
  'slug.regex': 'A slug has lowercase letters, digits, - and _ only',
  'kind.enum': 'kind is simple or cron',
  'manual_resume.boolean': 'manual_resume is true or false',
  'channels.*.string': 'Each entry of channels must be a Channel id (a UUID)',
  'channels.*.regex': 'Each entry of channels must be a Channel id (a UUID)',
  'channels.distinct': 'channels lists a Channel twice',
  'depends_on.*.string': 'Each entry of depends_on must be a Token id (a UUID)',
  'depends_on.*.regex': 'Each entry of depends_on must be a Token id (a UUID)',
  'depends_on.distinct': 'depends_on lists a Token twice',
  'tags.*.string': 'Each tag must be a string',
  'tags.*.regex': 'A tag must not contain spaces',
  'tags.*.minLength': 'A tag must not be empty',
  'tags.*.maxLength': 'A tag has at most 50 characters',
  'tags.*.wellFormed': 'A tag must be valid Unicode text (it holds a lone UTF-16 surrogate)',
  'unique.*.enum': 'unique may list "name" and "slug" only',
})
createTokenValidator.messagesProvider = tokenMessages
updateTokenValidator.messagesProvider = tokenMessages

const limit = vine.number().withoutDecimals().range([1, 100]).optional()
const cursor = vine.string().maxLength(100).optional()

export const listTokensValidator = vine.create({
  status: vine
    .enum(['new', 'up', 'warning', 'grace', 'down', 'paused', 'started'] as const)
    .optional(),
  /** Repeated (`?tag=prod&tag=db`), only Tokens with every one of them, as healthchecks */
  tag: vine
    .union([
      vine.union.if((value) => typeof value === 'string', vine.string().trim().maxLength(50)),
      vine.union.else(vine.array(vine.string().trim().maxLength(50)).maxLength(10)),
    ])
    .optional(),
  q: vine.string().trim().maxLength(100).optional(),
  limit,
  cursor,
})

export const pageValidator = vine.create({ limit, cursor })

/** An ad hoc maintenance window from now; 0 ends the current one. */
export const snoozeValidator = vine.create({
  minutes: vine.number().withoutDecimals().range([0, SNOOZE_MINUTES.max]),
})

/**
 * Tags as stored: a de-duplicated array, whatever form they came in.
 */
export function normaliseTags(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) {
    return undefined
  }
  const list = typeof value === 'string' ? value.split(/\s+/) : value
  return [...new Set(list.map((tag) => tag.trim()).filter(Boolean))].slice(0, 20)
}
