import vine, { SimpleMessagesProvider, errors } from '@vinejs/vine'
import type { Infer } from '@vinejs/vine/types'
import { METHODS } from '#models/ping_filters'
import { PERIOD, isValidTimeZone, tokenScheduleError } from '#validators/token'

/*
 * The Management API v3's check fields, as healthchecks takes them: strict
 * JSON types (no "60" for 60, no null), tags as one space-separated string,
 * channels as a comma-separated string of ids or names ("*": all, "": none).
 */

const str = (max?: number) => (max ? vine.string().maxLength(max) : vine.string()).optional()
const bool = () => vine.boolean({ strict: true }).optional()
const seconds = () =>
  vine.number({ strict: true }).withoutDecimals().min(PERIOD.min).max(PERIOD.max).optional()

const scheduleRule = vine.createRule((value, _, field) => {
  if (typeof value === 'string' && tokenScheduleError(value) !== null) {
    field.report('{{ field }} is not a valid cron or OnCalendar expression', 'schedule', field)
  }
})

const tzRule = vine.createRule((value, _, field) => {
  if (typeof value === 'string' && !isValidTimeZone(value)) {
    field.report('{{ field }} is not a valid timezone', 'tz', field)
  }
})

export const checkSpecValidator = vine.create({
  name: str(100),
  slug: vine
    .string()
    .maxLength(100)
    .regex(/^[a-z0-9_-]*$/)
    .optional(),
  tags: str(),
  desc: str(),
  timeout: seconds(),
  grace: seconds(),
  schedule: vine.string().maxLength(100).use(scheduleRule()).optional(),
  tz: vine.string().use(tzRule()).optional(),
  manual_resume: bool(),
  methods: vine.enum(METHODS).optional(),
  channels: str(),
  subject: str(200),
  subject_fail: str(200),
  start_kw: str(200),
  success_kw: str(200),
  failure_kw: str(200),
  filter_subject: bool(),
  filter_body: bool(),
  filter_http_body: bool(),
  filter_default_fail: bool(),
  unique: vine.array(vine.enum(['name', 'slug', 'tags', 'timeout', 'grace'] as const)).optional(),
})

checkSpecValidator.messagesProvider = new SimpleMessagesProvider({
  'string': '{{ field }} is not a string',
  'maxLength': '{{ field }} is too long',
  'regex': '{{ field }} does not match pattern',
  'number': '{{ field }} is not a number',
  'withoutDecimals': '{{ field }} is not a number',
  'min': '{{ field }} is too small',
  'max': '{{ field }} is too large',
  'boolean': '{{ field }} is not a boolean',
  'enum': '{{ field }} has unexpected value',
  'array': '{{ field }} is not an array',
  'unique.*.enum': "an item in 'unique' has unexpected value",
  'unique.*.string': "an item in 'unique' has unexpected value",
})

export type CheckSpec = Infer<typeof checkSpecValidator>

/**
 * The spec of a request body, or healthchecks' text for its first error
 * ("json validation error: grace is too small"). A null stands for a value of
 * the wrong type, as healthchecks reads it.
 */
export async function readCheckSpec(
  body: Record<string, unknown>
): Promise<{ spec: CheckSpec } | { error: string }> {
  const input = Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, value === null ? 0.5 : value])
  )
  try {
    return { spec: await checkSpecValidator.validate(input) }
  } catch (error) {
    if (error instanceof errors.E_VALIDATION_ERROR) {
      const first = (error.messages as { message: string }[])[0]
      return { error: `json validation error: ${first.message}` }
    }
    throw error
  }
}

/** `seconds`, `start` and `end` of a flips request: whole seconds, as healthchecks */
export const flipsQueryValidator = vine.create({
  seconds: vine.number().withoutDecimals().range([0, 31_536_000]).optional(),
  start: vine.number().withoutDecimals().range([0, 10_000_000_000]).optional(),
  end: vine.number().withoutDecimals().range([0, 10_000_000_000]).optional(),
})
