/**
 * The grammar of a systemd calendar event (systemd.time(7), "CALENDAR
 * EVENTS"): `[weekdays] [[YYYY-]MM-DD] [HH:MM[:SS]]`, or a shorthand such as
 * `daily`. The time zone is not part of the text: the caller holds it.
 */
export interface CalendarEvent {
  /** Allowed weekdays, 0 = Sunday as Date#getUTCDay counts; null for any */
  weekdays: ReadonlySet<number> | null
  years: readonly number[]
  months: readonly number[]
  /** Days of the month; with `fromEnd` (`~`), counted back from its last day, 1 = the last */
  days: readonly number[]
  fromEnd: boolean
  hours: readonly number[]
  minutes: readonly number[]
  seconds: readonly number[]
}

/** The years a calendar event may name, as systemd takes them */
export const YEARS = { min: 1970, max: 2199 } as const

export class CalendarSyntaxError extends Error {}

const fail = (message: string): never => {
  throw new CalendarSyntaxError(message)
}

const SHORTHANDS: Record<string, string> = {
  minutely: '*-*-* *:*:00',
  hourly: '*-*-* *:00:00',
  daily: '*-*-* 00:00:00',
  weekly: 'Mon *-*-* 00:00:00',
  monthly: '*-*-01 00:00:00',
  yearly: '*-01-01 00:00:00',
  annually: '*-01-01 00:00:00',
  quarterly: '*-01,04,07,10-01 00:00:00',
  semiannually: '*-01,07-01 00:00:00',
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
const LONG_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']

interface Domain {
  name: string
  min: number
  max: number
}

const DOMAINS = {
  year: { name: 'year', ...YEARS },
  month: { name: 'month', min: 1, max: 12 },
  day: { name: 'day', min: 1, max: 31 },
  hour: { name: 'hour', min: 0, max: 23 },
  minute: { name: 'minute', min: 0, max: 59 },
  second: { name: 'second', min: 0, max: 59 },
} satisfies Record<string, Domain>

function weekday(name: string): number {
  const lower = name.toLowerCase()
  const index = WEEKDAYS.findIndex((short, day) => lower === short || lower === LONG_WEEKDAYS[day])
  return index >= 0
    ? index
    : fail(`"${name}" is not a weekday (Mon, Tue, Wed, Thu, Fri, Sat, Sun or their full names)`)
}

/** `Mon..Fri,Sun`; a range that passes Sunday wraps round the week (`Sat..Mon`). */
function weekdays(text: string): Set<number> {
  const set = new Set<number>()
  for (const item of text.split(',')) {
    const [first, last, extra] = item.split('..')
    if (extra !== undefined || first === '' || last === '') {
      fail(`"${item}" is not a weekday or a range of weekdays such as Mon..Fri`)
    }
    const from = weekday(first)
    const to = last === undefined ? from : weekday(last)
    for (let day = from; ; day = (day + 1) % 7) {
      set.add(day)
      if (day === to) break
    }
  }
  return set
}

function integer(text: string, domain: Domain, checkRange = true): number {
  if (!/^\d+$/.test(text)) {
    fail(`"${text}" is not a number (in the ${domain.name})`)
  }
  const value = Number(text)
  if (checkRange && (value < domain.min || value > domain.max)) {
    fail(`the ${domain.name} ${text} is out of ${domain.min}..${domain.max}`)
  }
  return value
}

/**
 * One field: `*`, `5`, `1,15`, `1..5`, `0/15`, `1..20/5`, `*` + `/2`.
 * Counted from the month's end (`~`), a repetition walks towards the end:
 * `~7/1` is the last seven days.
 */
function values(text: string, domain: Domain, fromEnd = false): number[] {
  const set = new Set<number>()
  for (const item of text.split(',')) {
    const [range, stepText, extra] = item.split('/')
    if (range === '' || extra !== undefined) {
      fail(`"${item}" is not a ${domain.name} value, range or repetition`)
    }
    const step = stepText === undefined ? 1 : integer(stepText, domain, false)
    if (step < 1) fail(`a repetition must be 1 or more, not /${stepText}`)
    let start: number
    let end: number
    if (range === '*') {
      ;[start, end] = [domain.min, domain.max]
    } else if (range.includes('..')) {
      const [from, to] = range.split('..')
      ;[start, end] = [integer(from, domain), integer(to, domain)]
      if (start > end && !fromEnd) fail(`the ${domain.name} range ${range} runs backwards`)
    } else {
      start = integer(range, domain)
      end = stepText === undefined ? start : fromEnd ? domain.min : domain.max
    }
    const direction = end < start ? -1 : 1
    for (let value = start; direction * (end - value) >= 0; value += direction * step) {
      set.add(value)
    }
  }
  return [...set].sort((a, b) => a - b)
}

function date(text: string) {
  const parts = text.split(/([-~])/)
  const fields = parts.filter((_, index) => index % 2 === 0)
  const separators = parts.filter((_, index) => index % 2 === 1)
  if (fields.length < 2 || fields.length > 3 || separators.slice(0, -1).includes('~')) {
    fail(
      `the date "${text}" is not YYYY-MM-DD, MM-DD or YYYY-MM~DD (~ counts from the month's end)`
    )
  }
  const [year, month, day] = fields.length === 3 ? fields : ['*', ...fields]
  const fromEnd = separators.at(-1) === '~'
  return {
    years: values(year, DOMAINS.year),
    months: values(month, DOMAINS.month),
    days: values(day, DOMAINS.day, fromEnd),
    fromEnd,
  }
}

function time(text: string) {
  const fields = text.split(':')
  if (fields.length < 2 || fields.length > 3) fail(`the time "${text}" is not HH:MM or HH:MM:SS`)
  // a lone dot, not a `..` range
  if (/(^|[^.])\.([^.]|$)/.test(fields[2] ?? '')) fail('fractions of a second are not supported')
  return {
    hours: values(fields[0], DOMAINS.hour),
    minutes: values(fields[1], DOMAINS.minute),
    seconds: values(fields[2] ?? '00', DOMAINS.second),
  }
}

const looksLikeZone = (token: string) =>
  /^[a-z_]+(\/[\w+-]+)+$/i.test(token) ||
  /^(utc|gmt|z)$/i.test(token) ||
  /^[+-]\d\d(:?\d\d)?$/.test(token)

/** Reads an expression; throws CalendarSyntaxError saying what is wrong. */
export function readCalendarEvent(expression: string): CalendarEvent {
  const text = expression.trim()
  if (text === '') fail('the expression is empty')
  let tokens = (SHORTHANDS[text.toLowerCase()] ?? text).split(/\s+/)
  const zone = tokens.find(looksLikeZone)
  if (zone !== undefined) {
    fail(`a time zone in the expression ("${zone}") is not taken: set the time zone field instead`)
  }
  let days: Set<number> | null = null
  if (/^[a-z]/i.test(tokens[0])) {
    days = weekdays(tokens[0])
    tokens = tokens.slice(1)
  }
  const dateText = tokens.length > 0 && !tokens[0].includes(':') ? tokens.shift()! : '*-*-*'
  const timeText = tokens.length > 0 && tokens[0].includes(':') ? tokens.shift()! : '00:00:00'
  if (tokens.length > 0) {
    fail(
      `unexpected "${tokens[0]}": an expression is [weekdays] [date] [time], such as Mon..Fri *-*-* 02:00`
    )
  }
  return { weekdays: days, ...date(dateText), ...time(timeText) }
}
