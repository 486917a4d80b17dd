import { SimpleMessagesProvider } from '@vinejs/vine'
import { TOKEN_DEFAULTS } from '#models/token_defaults'

/**
 * The Token form of the admin UI. It posts periods as an amount and a unit;
 * `tokenFormInput` turns the body into the REST API's shape so the same
 * validators (#validators/token) and TokenService rules apply.
 */
export const PERIOD_UNITS = { minutes: 60, hours: 3600, days: 86_400 } as const
export type PeriodUnit = keyof typeof PERIOD_UNITS
/** Run rules (max_runtime, min_interval, min_duration) also take seconds */
export const RUN_UNITS = { seconds: 1, ...PERIOD_UNITS } as const
export type RunUnit = keyof typeof RUN_UNITS
export const RUN_FIELDS = ['max_runtime', 'min_interval', 'min_duration'] as const

type FormBody = Record<string, unknown>

function seconds(amount: unknown, unit: unknown) {
  const factor = PERIOD_UNITS[unit as PeriodUnit] ?? 60
  if (amount === null || amount === undefined) {
    return ''
  }
  const value = Number(amount)
  return Number.isFinite(value) ? Math.round(value * factor) : amount
}

/**
 * A run rule's seconds; an empty amount turns the rule off (null).
 */
function runSeconds(amount: unknown, unit: unknown) {
  if (amount === null || amount === undefined || amount === '') {
    return null
  }
  const value = Number(amount)
  const factor = RUN_UNITS[unit as RunUnit] ?? 1
  return Number.isFinite(value) ? Math.round(value * factor) : amount
}

function runRules(body: FormBody) {
  const rules: Record<string, unknown> = Object.fromEntries(
    RUN_FIELDS.map((field) => [field, runSeconds(body[field], body[`${field}_unit`])])
  )
  const threshold = body.fail_threshold
  rules.fail_threshold =
    threshold === undefined || threshold === null || threshold === '' ? 1 : Number(threshold)
  return rules
}

/** The ping filters as the form posts them: checkboxes and keyword lists */
function filterInput(body: FormBody) {
  const checked = (value: unknown) => value === 'on' || value === 'true'
  return {
    methods: body.methods === 'POST' ? 'POST' : '',
    filter_subject: checked(body.filter_subject),
    filter_body: checked(body.filter_body),
    start_kw: body.start_kw ?? '',
    success_kw: body.success_kw ?? '',
    failure_kw: body.failure_kw ?? '',
  }
}

export function tokenFormInput(body: FormBody) {
  const kind = body.kind === 'cron' || body.kind === 'oncalendar' ? body.kind : 'simple'
  const channels = body.channels ?? []
  const parents = body.depends_on ?? []
  const minutes = body.maintenance_minutes
  return {
    name: body.name,
    slug: body.slug ?? null,
    tags: body.tags ?? '',
    desc: body.desc ?? '',
    kind,
    grace: seconds(body.grace, body.grace_unit),
    manual_resume: body.manual_resume === 'on' || body.manual_resume === 'true',
    channels: Array.isArray(channels) ? channels : [channels],
    maintenance_schedule: body.maintenance_schedule || null,
    maintenance_minutes: minutes === undefined || minutes === '' ? 0 : minutes,
    maintenance_tz: body.maintenance_tz || 'UTC',
    depends_on: Array.isArray(parents) ? parents : [parents],
    ...runRules(body),
    ...filterInput(body),
    ...(kind !== 'simple'
      ? { schedule: body.schedule ?? '', tz: body.tz ?? TOKEN_DEFAULTS.tz }
      : { timeout: seconds(body.timeout, body.timeout_unit) }),
  }
}

/**
 * A period in seconds as the form shows it: the largest unit that divides it.
 */
export function periodFields(total: number): { amount: number; unit: PeriodUnit } {
  if (total % PERIOD_UNITS.days === 0) {
    return { amount: total / PERIOD_UNITS.days, unit: 'days' }
  }
  if (total % PERIOD_UNITS.hours === 0) {
    return { amount: total / PERIOD_UNITS.hours, unit: 'hours' }
  }
  return { amount: Math.round((total / 60) * 100) / 100, unit: 'minutes' }
}

/**
 * A run rule as the form shows it: empty when off, else in the largest unit that divides it.
 */
export function runFields(total: number | null): { amount: number | ''; unit: RunUnit } {
  if (total === null) {
    return { amount: '', unit: 'minutes' }
  }
  return total % 60 === 0 ? periodFields(total) : { amount: total, unit: 'seconds' }
}

/**
 * Messages a person reads next to the fields.
 */
export const tokenFormMessages = new SimpleMessagesProvider({
  'name.required': 'Give the Token a name',
  'slug.regex': 'Use lowercase letters, digits, - and _ only',
  'timeout.number': 'Enter the period as a number',
  'timeout.range': 'The period must be between 1 minute and 365 days',
  'timeout.withoutDecimals': 'The period must be a whole number of seconds',
  'grace.number': 'Enter the grace time as a number',
  'grace.range': 'The grace time must be between 1 minute and 365 days',
  'grace.withoutDecimals': 'The grace time must be a whole number of seconds',
  'schedule.schedule': 'The {{ syntax }} {{ reason }}',
  'methods.enum': 'Pick any method or POST only',
  'start_kw.maxLength': 'Keep the keywords under 200 characters',
  'success_kw.maxLength': 'Keep the keywords under 200 characters',
  'failure_kw.maxLength': 'Keep the keywords under 200 characters',
  'tz.tz': 'Enter an IANA time zone, such as Europe/Paris',
  'tags.maxLength': 'Too many tags',
  'channels.*.uuid': 'Pick Channels from the list',
  'maintenance_minutes.range': 'A window lasts between 0 minutes and 7 days',
  'maintenance_tz.tz': 'Enter an IANA time zone, such as Europe/Paris',
  'depends_on.*.uuid': 'Pick Tokens from the list',
  'max_runtime.number': 'Enter the maximum run time as a number',
  'max_runtime.range': 'The maximum run time must be between 1 second and 365 days',
  'max_runtime.withoutDecimals': 'The maximum run time must be a whole number of seconds',
  'min_interval.number': 'Enter the minimum interval as a number',
  'min_interval.range': 'The minimum interval must be between 1 second and 365 days',
  'min_interval.withoutDecimals': 'The minimum interval must be a whole number of seconds',
  'min_duration.number': 'Enter the minimum duration as a number',
  'min_duration.range': 'The minimum duration must be between 1 second and 365 days',
  'min_duration.withoutDecimals': 'The minimum duration must be a whole number of seconds',
  'fail_threshold.number': 'Enter the number of failures as a number',
  'fail_threshold.range': 'The number of failures must be between 1 and 100',
  'fail_threshold.withoutDecimals': 'The number of failures must be a whole number',
})

interface FormToken {
  name: string
  slug: string | null
  tags: string[]
  desc: string
  kind: string
  timeout: number
  grace: number
  schedule: string
  tz: string
  manualResume: boolean
  maxRuntime?: number | null
  minInterval?: number | null
  minDuration?: number | null
  failThreshold?: number
  methods?: string
  filterSubject?: boolean
  filterBody?: boolean
  startKw?: string
  successKw?: string
  failureKw?: string
  channels?: { id: string }[]
  maintenanceSchedule?: string
  maintenanceMinutes?: number
  maintenanceTz?: string
  parents?: { uuid: string }[]
}

/**
 * What the Token form shows: the Token's values (or a new Token's defaults),
 * replaced by what was posted when the form comes back with errors.
 */
export function tokenFormValues(token: FormToken | null, flashed: Record<string, any> = {}) {
  const timeout = periodFields(token?.timeout ?? TOKEN_DEFAULTS.timeout)
  const grace = periodFields(token?.grace ?? TOKEN_DEFAULTS.grace)
  const values: Record<string, any> = {
    name: token?.name ?? '',
    slug: token?.slug ?? '',
    tags: token?.tags.join(' ') ?? '',
    desc: token?.desc ?? TOKEN_DEFAULTS.desc,
    kind: token?.kind ?? TOKEN_DEFAULTS.kind,
    timeout: timeout.amount,
    timeout_unit: timeout.unit,
    grace: grace.amount,
    grace_unit: grace.unit,
    // a daily run is a better start to edit than the default's every minute
    schedule: token && token.kind !== 'simple' ? token.schedule : '0 3 * * *',
    tz: token?.tz ?? TOKEN_DEFAULTS.tz,
    manual_resume: token?.manualResume ?? TOKEN_DEFAULTS.manual_resume,
    channels: token?.channels?.map((channel) => channel.id) ?? [],
    maintenance_schedule: token?.maintenanceSchedule ?? '',
    maintenance_minutes: token?.maintenanceMinutes ?? 60,
    maintenance_tz: token?.maintenanceTz ?? 'UTC',
    depends_on: token?.parents?.map((parent) => parent.uuid) ?? [],
    fail_threshold: token?.failThreshold ?? 1,
    methods: token?.methods ?? TOKEN_DEFAULTS.methods,
    filter_subject: token?.filterSubject ?? TOKEN_DEFAULTS.filter_subject,
    filter_body: token?.filterBody ?? TOKEN_DEFAULTS.filter_body,
    start_kw: token?.startKw ?? TOKEN_DEFAULTS.start_kw,
    success_kw: token?.successKw ?? TOKEN_DEFAULTS.success_kw,
    failure_kw: token?.failureKw ?? TOKEN_DEFAULTS.failure_kw,
  }
  const runs = {
    max_runtime: token?.maxRuntime,
    min_interval: token?.minInterval,
    min_duration: token?.minDuration,
  }
  for (const [field, total] of Object.entries(runs)) {
    const shown = runFields(total ?? null)
    values[field] = shown.amount
    values[`${field}_unit`] = shown.unit
  }
  if (flashed.kind === undefined) {
    return values
  }
  for (const key of Object.keys(values)) {
    values[key] = flashed[key] ?? (typeof values[key] === 'string' ? '' : values[key])
  }
  values.manual_resume = flashed.manual_resume === 'on'
  values.filter_subject = flashed.filter_subject === 'on'
  values.filter_body = flashed.filter_body === 'on'
  values.channels = [flashed.channels ?? []].flat()
  values.depends_on = [flashed.depends_on ?? []].flat()
  return values
}
