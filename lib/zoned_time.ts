/**
 * Wall-clock time in an IANA time zone and back, with the zone's own rules
 * (Intl), so that daylight-saving changes land where the zone puts them.
 */
export interface Wall {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

const HOUR = 3_600_000
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string) {
  let format = formatters.get(timeZone)
  if (!format) {
    // throws RangeError on an unknown zone, before anything is cached
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, format)
  }
  return format
}

/** The wall clock in `timeZone` at an instant, to the second. */
export function wallAt(instant: number, timeZone: string): Wall {
  const wall: Record<string, number> = {}
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') wall[part.type] = Number(part.value)
  }
  return {
    year: wall.year,
    month: wall.month,
    day: wall.day,
    hour: wall.hour,
    minute: wall.minute,
    second: wall.second,
  }
}

/** The wall fields read as if they were UTC: a number to compare and step walls by. */
export function wallMillis(wall: Wall): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)
}

/** A wall time moved by whole seconds, on the wall (no zone involved). */
export function wallPlus(wall: Wall, seconds: number): Wall {
  const moved = new Date(wallMillis(wall) + seconds * 1000)
  return {
    year: moved.getUTCFullYear(),
    month: moved.getUTCMonth() + 1,
    day: moved.getUTCDate(),
    hour: moved.getUTCHours(),
    minute: moved.getUTCMinutes(),
    second: moved.getUTCSeconds(),
  }
}

/** The zone's offset from UTC at an instant, in milliseconds. */
export function offsetAt(instant: number, timeZone: string): number {
  const whole = instant - (((instant % 1000) + 1000) % 1000)
  return wallMillis(wallAt(whole, timeZone)) - whole
}

/**
 * The instant a wall time names. A wall time the clocks pass twice (autumn)
 * is its first pass; one they skip (spring) is the end of the skipped hour,
 * so that later wall times never map to earlier instants.
 */
export function instantOf(wall: Wall, timeZone: string): number {
  const local = wallMillis(wall)
  const offsets = [offsetAt(local - 12 * HOUR, timeZone), offsetAt(local + 12 * HOUR, timeZone)]
  const guesses = offsets.map((offset) => local - offset)
  const fits = guesses.filter((guess) => wallMillis(wallAt(guess, timeZone)) === local)
  if (fits.length > 0) {
    return Math.min(...fits)
  }
  let low = Math.min(...guesses)
  let high = Math.max(...guesses)
  const after = offsetAt(high, timeZone)
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000
    if (offsetAt(middle, timeZone) === after) high = middle
    else low = middle
  }
  return high
}
