import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { text, unionMeta, uuid } from '#validators/rules'
import { cursor, limit } from '#validators/page'
import { STATUSES } from '#validators/list_query'
import { MAX_WINDOW_MINUTES } from '#models/maintenance_window'
import { cronError, scheduleError, scheduleSyntax } from '#models/token_schedule'
import { TOKEN_KINDS, type TokenKind } from '#models/token_state'
import { METHODS } from '#models/ping_filters'
import { nextFire, parseOnCalendar } from '#lib/oncalendar'
import { SNOOZE_MINUTES } from '#lib/ping_message'

/** A Token's timeout and grace, in seconds: a minute to a year */
export const PERIOD = { min: 60, max: 31_536_000 } as const
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
  return cronError(expression) === null
}

/**
 * What is wrong with a Token's schedule read as `kind` (cron or oncalendar),
 * or, with no kind, in the syntax it looks like (scheduleSyntax), saying which
 * it was read in; null when it is fine.
 */
export function tokenScheduleError(
  schedule: string,
  kind?: TokenKind | null,
  now = new Date()
): string | null {
  if (kind === 'cron' || kind === 'oncalendar') {
    return scheduleError(kind, schedule, now)
  }
  const syntax = scheduleSyntax(schedule)
  const error = scheduleError(syntax, schedule, now)
  if (error === null) {
    return null
  }
  return syntax === 'cron'
    ? `${error} (read as a cron line: it has five fields or starts with @)`
    : `does not have the five fields of a cron line, so it was read as an OnCalendar expression, and it ${error}`
}

const scheduleRule = vine.createRule((value, _, field) => {
  if (typeof value !== 'string') {
    return
  }
  const parentKind = (field.parent as Record<string, unknown> | undefined)?.kind
  const kind = TOKEN_KINDS.find((known) => known === parentKind)
  const error = tokenScheduleError(value, kind)
  if (error !== null) {
    // the form names the syntax (`syntax`) and says the reason (`reason`) in its own words
    const syntax = { cron: 'cron expression', oncalendar: 'OnCalendar expression' }[
      kind === 'oncalendar' || kind === 'cron' ? kind : scheduleSyntax(value)
    ]
    field.report(`The {{ field }} field ${error}`, 'schedule', field, { reason: error, syntax })
  }
})

/**
 * What is wrong with a maintenance schedule, naming the syntax it was read
 * in (see scheduleSyntax), or null when it is fine.
 */
export function maintenanceScheduleError(schedule: string, now = new Date()): string | null {
  if (scheduleSyntax(schedule) === 'cron') {
    return isValidCron(schedule)
      ? null
      : 'has five fields, so it was read as a cron line, and it is not a valid one (such as 0 2 * * 0)'
  }
  const read =
    'does not have the five fields of a cron line, so it was read as an OnCalendar expression'
  const parsed = parseOnCalendar(schedule)
  if (!parsed.ok) {
    return `${read}: ${parsed.error}`
  }
  // UTC is close enough here: the check is for a date that is gone, not for an hour
  return nextFire(parsed.event, now, 'UTC') === null
    ? `${read}: it never fires again, its last date is past`
    : null
}

const maintenanceScheduleRule = vine.createRule((value, _, field) => {
  const error = typeof value === 'string' ? maintenanceScheduleError(value) : null
  if (error !== null) {
    field.report(`The {{ field }} field ${error}`, 'schedule', field)
  }
})

export const timeZoneRule = vine.createRule((value, _, field) => {
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

/** A comma-separated keyword list, as healthchecks takes it */
const keywordList = () => text().trim().maxLength(200).optional()

const period = () => vine.number().withoutDecimals().range([PERIOD.min, PERIOD.max]).optional()

/**
 * The fields a Token takes, with what the API document says of each beside
 * the rules (`meta`); the document's request schemas are made from these.
 */
const tokenFields = {
  slug: vine
    .string()
    .trim()
    .maxLength(100)
    .regex(/^[a-z0-9_-]+$/)
    .nullable()
    .optional()
    .meta({ example: 'db-backup' }),
  tags: unionMeta(tags.optional(), {
    description: 'An array of tags, or one space-separated string',
    example: ['prod'],
  }),
  desc: text()
    .trim()
    .maxLength(5000)
    .optional()
    .meta({ example: 'Nightly pg_dump of the main database' }),
  kind: vine.enum(TOKEN_KINDS).optional(),
  timeout: period().meta({
    description: 'Seconds between pings (simple schedule)',
    example: 86400,
  }),
  grace: period().meta({
    description: 'Seconds of lateness before the Token goes down',
    example: 3600,
  }),
  schedule: vine.string().trim().maxLength(100).use(scheduleRule()).optional().meta({
    description:
      'The calendar schedule of a `cron` or `oncalendar` Token: a five-field cron line or a nickname (`@yearly @annually @monthly @weekly @daily @midnight @hourly`), or a systemd OnCalendar expression (such as `Mon..Fri *-*-* 09:00` or `daily`; no time zone inside it). One that never fires (`0 0 31 2 *`) is refused',
    example: '0 3 * * *',
  }),
  tz: vine
    .string()
    .trim()
    .maxLength(64)
    .use(timeZoneRule())
    .optional()
    .meta({ description: 'IANA time zone of the schedule', example: 'Europe/Berlin' }),
  manual_resume: vine
    .boolean()
    .optional()
    .meta({ description: 'Pings to a paused Token are ignored until resumed by hand' }),
  max_runtime: runSeconds().meta({
    description:
      'Seconds a started run may take before the Token goes down (reason `max runtime`); null: the grace time applies',
    example: 1800,
  }),
  min_interval: runSeconds().meta({
    description:
      'A success sooner than this many seconds after the previous success sets the Token to `warning` (reason `too soon`)',
    example: 3000,
  }),
  min_duration: runSeconds().meta({
    description:
      'A run shorter than this many seconds sets the Token to `warning` (reason `too short`)',
    example: 60,
  }),
  fail_threshold: vine
    .number()
    .withoutDecimals()
    .range([FAIL_THRESHOLD.min, FAIL_THRESHOLD.max])
    .optional()
    .meta({ description: 'Failures in a row that take the Token down', example: 3 }),
  channels: vine
    .array(uuid())
    .maxLength(50)
    .distinct()
    .optional()
    .meta({ description: 'Ids of your Channels this Token alerts' }),
  methods: vine.enum(METHODS).optional().meta({
    description:
      '`POST`: only POST pings count; GET and HEAD pings are stored as ignored (kind `ign`) and change nothing. Empty: any method',
    example: 'POST',
  }),
  filter_subject: vine.boolean().optional().meta({
    description: "Look for the keywords in an email ping's subject line",
  }),
  filter_body: vine.boolean().optional().meta({
    description: "Look for the keywords in a ping's body",
  }),
  start_kw: keywordList().meta({
    description:
      'Comma-separated keywords, case-insensitive: a success ping holding one (and no failure or success keyword) counts as a start',
    example: 'starting',
  }),
  success_kw: keywordList().meta({
    description:
      'Comma-separated keywords, case-insensitive: when set, a success ping holding none of these, nor a start keyword, is ignored',
    example: 'completed, ok',
  }),
  failure_kw: keywordList().meta({
    description:
      'Comma-separated keywords, case-insensitive: a success ping holding one counts as a failure',
    example: 'error, fatal',
  }),
  /** A scheduled maintenance window: opens at each fire of this schedule; null for none */
  maintenance_schedule: vine
    .string()
    .trim()
    .maxLength(100)
    .use(maintenanceScheduleRule())
    .nullable()
    .optional()
    .meta({
      description:
        'A maintenance window opens at each fire of this schedule, in `maintenance_tz`: a five-field cron line, or a systemd OnCalendar expression (anything without five space-separated fields, such as `Sat,Sun *-*-* 02:00`, `*-*~1 23:00` or `weekly`; no time zone inside it). Null for none',
      example: 'Mon..Fri *-*-* 02:00',
    }),
  maintenance_minutes: vine
    .number()
    .withoutDecimals()
    .range([0, MAX_WINDOW_MINUTES])
    .optional()
    .meta({ description: 'How long each scheduled maintenance window lasts, in minutes' }),
  maintenance_tz: vine
    .string()
    .trim()
    .maxLength(64)
    .use(timeZoneRule())
    .optional()
    .meta({ description: 'The time zone of maintenance_schedule' }),
  depends_on: vine
    .array(uuid())
    .maxLength(50)
    .distinct()
    .optional()
    .meta({ description: 'Ids of the Tokens this one depends on; cycles are refused' }),
}

const name = () => text().trim().minLength(1).maxLength(100)

export const createTokenValidator = vine.create({
  name: name(),
  ...tokenFields,
  kind: tokenFields.kind.meta({
    description:
      'When only `schedule` is given: `cron` for five fields or an @ nickname, `oncalendar` otherwise, as healthchecks reads it',
  }),
  unique: vine
    .array(vine.enum(['name', 'slug'] as const))
    .maxLength(2)
    .optional()
    .meta({
      description:
        'Return your existing Token with the same name or slug (200), unchanged, instead of a new one',
    }),
})

export const updateTokenValidator = vine.create({
  name: name().optional(),
  ...tokenFields,
})

/**
 * Messages that say what a field takes, and for the entries of array fields,
 * which Vine would name by their index alone ("The 0 field format is invalid").
 */
const tokenMessages = new SimpleMessagesProvider({
  'name.minLength': 'The name must not be empty',
  'slug.regex': 'A slug has lowercase letters, digits, - and _ only',
  'kind.enum': 'kind is simple, cron or oncalendar',
  'methods.enum': 'methods is "" (any) or "POST"',
  'manual_resume.boolean': 'manual_resume is true or false',
  'channels.*.string': 'Each entry of channels must be a Channel id (a UUID)',
  'channels.*.uuid': 'Each entry of channels must be a Channel id (a UUID)',
  'channels.distinct': 'channels lists a Channel twice',
  'depends_on.*.string': 'Each entry of depends_on must be a Token id (a UUID)',
  'depends_on.*.uuid': 'Each entry of depends_on must be a Token id (a UUID)',
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

export const listTokensValidator = vine.create({
  status: vine.enum(STATUSES).optional(),
  /** Repeated (`?tag=prod&tag=db`), only Tokens with every one of them, as healthchecks */
  tag: unionMeta(
    vine
      .union([
        vine.union.if((value) => typeof value === 'string', vine.string().trim().maxLength(50)),
        vine.union.else(vine.array(vine.string().trim().maxLength(50)).maxLength(10)),
      ])
      .optional(),
    { description: 'Repeat for Tokens with every one of the tags' }
  ),
  q: vine
    .string()
    .trim()
    .maxLength(100)
    .optional()
    .meta({ description: 'Search in name and slug' }),
  limit: limit(),
  cursor: cursor(),
})

/** An ad hoc maintenance window from now; 0 ends the current one. */
export const snoozeValidator = vine.create({
  minutes: vine
    .number()
    .withoutDecimals()
    .range([0, SNOOZE_MINUTES.max])
    .meta({ description: 'Length of the window from now; 0 ends the current one' }),
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
