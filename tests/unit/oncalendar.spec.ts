import { test } from '@japa/runner'
import { nextFire, parseOnCalendar, previousFire, type CalendarEvent } from '#lib/oncalendar'

function event(expression: string): CalendarEvent {
  const parsed = parseOnCalendar(expression)
  if (!parsed.ok) throw new Error(`${expression}: ${parsed.error}`)
  return parsed.event
}

const next = (expression: string, after: string, zone = 'UTC') =>
  nextFire(event(expression), new Date(after), zone)?.toISOString() ?? null

/** [expression, after (UTC), time zone, next fire (UTC)] */
const NEXT_FIRES: [string, string, string, string][] = [
  // shorthands (2026-03-10 is a Tuesday)
  ['minutely', '2026-03-10T12:00:30Z', 'UTC', '2026-03-10T12:01:00.000Z'],
  ['hourly', '2026-03-10T12:00:00Z', 'UTC', '2026-03-10T13:00:00.000Z'],
  ['daily', '2026-03-10T12:00:00Z', 'UTC', '2026-03-11T00:00:00.000Z'],
  ['weekly', '2026-03-10T12:00:00Z', 'UTC', '2026-03-16T00:00:00.000Z'],
  ['monthly', '2026-03-10T12:00:00Z', 'UTC', '2026-04-01T00:00:00.000Z'],
  ['yearly', '2026-03-10T12:00:00Z', 'UTC', '2027-01-01T00:00:00.000Z'],
  ['annually', '2026-03-10T12:00:00Z', 'UTC', '2027-01-01T00:00:00.000Z'],
  ['quarterly', '2026-03-10T12:00:00Z', 'UTC', '2026-04-01T00:00:00.000Z'],
  ['semiannually', '2026-03-10T12:00:00Z', 'UTC', '2026-07-01T00:00:00.000Z'],
  ['Daily', '2026-03-10T12:00:00Z', 'UTC', '2026-03-11T00:00:00.000Z'],
  // weekdays: lists, ranges, full names, a range that wraps round Sunday
  ['Mon..Fri 08:00', '2026-03-13T09:00:00Z', 'UTC', '2026-03-16T08:00:00.000Z'],
  ['Tue,Thu *-*-* 06:30', '2026-03-10T07:00:00Z', 'UTC', '2026-03-12T06:30:00.000Z'],
  ['saturday 10:00', '2026-03-10T07:00:00Z', 'UTC', '2026-03-14T10:00:00.000Z'],
  ['Sat..Mon 08:00', '2026-03-10T09:00:00Z', 'UTC', '2026-03-14T08:00:00.000Z'],
  ['Sat..Mon 08:00', '2026-03-15T09:00:00Z', 'UTC', '2026-03-16T08:00:00.000Z'],
  ['Mon 2026-03-*', '2026-03-23T00:00:00Z', 'UTC', '2026-03-30T00:00:00.000Z'],
  // dates, times, lists, ranges and repetition
  ['12-25 06:00', '2026-03-10T12:00:00Z', 'UTC', '2026-12-25T06:00:00.000Z'],
  ['2030-01-01', '2026-03-10T12:00:00Z', 'UTC', '2030-01-01T00:00:00.000Z'],
  ['2027..2029-06-01 00:00', '2026-03-10T12:00:00Z', 'UTC', '2027-06-01T00:00:00.000Z'],
  ['*:0/15', '2026-03-10T12:07:00Z', 'UTC', '2026-03-10T12:15:00.000Z'],
  ['*:*:30', '2026-03-10T12:00:30Z', 'UTC', '2026-03-10T12:01:30.000Z'],
  ['*-*-* 08..18/5:00', '2026-03-10T13:30:00Z', 'UTC', '2026-03-10T18:00:00.000Z'],
  ['*-*-* 1,13:05', '2026-03-10T13:30:00Z', 'UTC', '2026-03-11T01:05:00.000Z'],
  ['*-*-1/10 00:00', '2026-03-21T01:00:00Z', 'UTC', '2026-03-31T00:00:00.000Z'],
  ['*-*-1/10 00:00', '2026-04-21T01:00:00Z', 'UTC', '2026-05-01T00:00:00.000Z'],
  ['*-*-31', '2026-04-01T00:00:00Z', 'UTC', '2026-05-31T00:00:00.000Z'],
  ['*-02-29 12:00', '2026-03-10T12:00:00Z', 'UTC', '2028-02-29T12:00:00.000Z'],
  // ~: days counted back from the month's end
  ['*-*~1 23:00', '2026-02-10T00:00:00Z', 'UTC', '2026-02-28T23:00:00.000Z'],
  ['*-*~01 23:00', '2028-02-10T00:00:00Z', 'UTC', '2028-02-29T23:00:00.000Z'],
  ['*-*~1 23:00', '2026-04-30T23:00:00Z', 'UTC', '2026-05-31T23:00:00.000Z'],
  ['*-02~03', '2026-01-01T00:00:00Z', 'UTC', '2026-02-26T00:00:00.000Z'],
  ['Mon *-05~07/1', '2026-01-01T00:00:00Z', 'UTC', '2026-05-25T00:00:00.000Z'],
  ['Mon..Fri *-*~1 18:00', '2026-01-01T00:00:00Z', 'UTC', '2026-03-31T18:00:00.000Z'],
  // time zones; Berlin: clocks go 02:00 → 03:00 on 2026-03-29 and 03:00 → 02:00 on 2026-10-25
  ['02:00', '2026-01-10T12:00:00Z', 'Europe/Berlin', '2026-01-11T01:00:00.000Z'],
  ['daily', '2026-03-28T23:30:00Z', 'Europe/Berlin', '2026-03-29T22:00:00.000Z'],
  ['*-*-* 02:30', '2026-03-28T12:00:00Z', 'Europe/Berlin', '2026-03-29T01:00:00.000Z'],
  ['*-*-* 03:30', '2026-03-28T12:00:00Z', 'Europe/Berlin', '2026-03-29T01:30:00.000Z'],
  ['*-*-* 02:30', '2026-03-29T01:00:00Z', 'Europe/Berlin', '2026-03-30T00:30:00.000Z'],
  ['*-*-* 02:30', '2026-10-24T12:00:00Z', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
  ['*-*-* 02:30', '2026-10-25T00:30:00Z', 'Europe/Berlin', '2026-10-26T01:30:00.000Z'],
  ['*-*-* 12:00', '2026-10-24T12:00:00Z', 'Europe/Berlin', '2026-10-25T11:00:00.000Z'],
  // New York: 02:00 → 03:00 on 2026-03-08, 02:00 → 01:00 on 2026-11-01
  ['*-*-* 02:15', '2026-03-07T12:00:00Z', 'America/New_York', '2026-03-08T07:00:00.000Z'],
  ['*-*-* 09:00', '2026-03-07T15:00:00Z', 'America/New_York', '2026-03-08T13:00:00.000Z'],
  ['*-*-* 01:30', '2026-10-31T12:00:00Z', 'America/New_York', '2026-11-01T05:30:00.000Z'],
  ['*:0/30', '2026-11-01T05:50:00Z', 'America/New_York', '2026-11-01T07:00:00.000Z'],
  ['Sun *-*~7/1 23:00', '2026-10-01T00:00:00Z', 'America/New_York', '2026-10-26T03:00:00.000Z'],
]

test.group('OnCalendar: next fires', () => {
  for (const [expression, after, zone, expected] of NEXT_FIRES) {
    test(`"${expression}" after ${after} in ${zone} fires at ${expected}`, ({ assert }) => {
      assert.equal(next(expression, after, zone), expected)
    })
  }

  test('a fire at the very moment asked is not the next one, it is the previous one', ({
    assert,
  }) => {
    const daily = event('daily')
    const midnight = new Date('2026-03-11T00:00:00Z')
    assert.equal(nextFire(daily, midnight, 'UTC')?.toISOString(), '2026-03-12T00:00:00.000Z')
    assert.equal(previousFire(daily, midnight, 'UTC')?.toISOString(), '2026-03-11T00:00:00.000Z')
  })

  test('in the repeated hour, the previous fire is the first pass of the same wall time', ({
    assert,
  }) => {
    // 02:10 CET on 2026-10-25 is the second pass; 02:30 CEST fired 40 minutes before
    const fired = previousFire(event('02:30'), new Date('2026-10-25T01:10:00Z'), 'Europe/Berlin')
    assert.equal(fired?.toISOString(), '2026-10-25T00:30:00.000Z')
    const skipped = previousFire(event('02:30'), new Date('2026-03-29T00:59:00Z'), 'Europe/Berlin')
    assert.equal(skipped?.toISOString(), '2026-03-28T01:30:00.000Z')
  })

  test('a date that is gone fires no more; an unknown zone throws', ({ assert }) => {
    assert.isNull(next('2020-01-01 00:00', '2026-03-10T12:00:00Z'))
    assert.equal(
      previousFire(event('2020-01-01'), new Date('2026-03-10T12:00:00Z'), 'UTC')?.toISOString(),
      '2020-01-01T00:00:00.000Z'
    )
    assert.throws(() => nextFire(event('daily'), new Date(), 'Nowhere/City'), RangeError)
  })
})

/** [expression, what the refusal says] */
const REFUSALS: [string, string][] = [
  ['*-02-30', 'never fires'],
  ['*-04-31 12:00', 'never fires'],
  ['Mon 2026-03-10', 'never fires'],
  ['Fri *-02~30', 'never fires'],
  ['', 'empty'],
  ['Mon..Fry 02:00', '"Fry" is not a weekday'],
  ['25:00', 'the hour 25 is out of 0..23'],
  ['*-13-01', 'the month 13 is out of 1..12'],
  ['1960-01-01', 'the year 1960 is out of 1970..2199'],
  ['*-*-* 18..08:00', 'runs backwards'],
  ['*:0/0', 'repetition must be 1 or more'],
  ['Mon 02:00 Europe/Berlin', 'set the time zone field instead'],
  ['02:00 UTC', 'set the time zone field instead'],
  ['*-*-* 02:00:00.5', 'fractions of a second'],
  ['2026-01-01-01', 'is not YYYY-MM-DD'],
  ['*~02-01', 'is not YYYY-MM-DD'],
  ['02:00 03:00', 'unexpected "03:00"'],
  ['*:a', '"a" is not a number'],
]

test.group('OnCalendar: refusals', () => {
  for (const [expression, says] of REFUSALS) {
    test(`"${expression}" is refused: ${says}`, ({ assert }) => {
      const parsed = parseOnCalendar(expression)
      assert.isFalse(parsed.ok)
      assert.include(parsed.ok ? '' : parsed.error, says)
    })
  }
})
