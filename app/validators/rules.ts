import vine from '@vinejs/vine'
import { ANY_CASE_UUID_RE } from '#lib/uuid'

/**
 * Rules several validators share: input that JavaScript holds but
 * PostgreSQL does not.
 */

/**
 * A string with a lone UTF-16 surrogate (JSON's `"\ud800"`) is no Unicode
 * text: PostgreSQL refuses it in jsonb and replaces it in text.
 */
const wellFormedRule = vine.createRule((value, _, field) => {
  if (typeof value === 'string' && !value.isWellFormed()) {
    field.report(
      'The {{ field }} field must be valid Unicode text (it holds a lone UTF-16 surrogate)',
      'wellFormed',
      field
    )
  }
})

/** A string field that is valid Unicode text */
export const text = () => vine.string().use(wellFormedRule())

/**
 * The one password rule: new Users (the UI and `user:create`), changed
 * passwords and the first admin's secret all keep it.
 */
export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_RULE = `at least ${PASSWORD_MIN_LENGTH} characters`

/**
 * The times a filter may name: within what both PostgreSQL's timestamptz
 * and JavaScript's Date hold (PostgreSQL stops at 4714 BC).
 */
export const TIME_RANGE = { min: '0001-01-01T00:00:00Z', max: '9999-12-31T23:59:59Z' } as const

const timeRangeRule = vine.createRule(
  (value, _, field) => {
    const time = value instanceof Date ? value.getTime() : Number.NaN
    if (!(time >= Date.parse(TIME_RANGE.min) && time < Date.parse(TIME_RANGE.max) + 1000)) {
      field.report(
        `The {{ field }} field must be a time from ${TIME_RANGE.min} to ${TIME_RANGE.max}`,
        'timeRange',
        field
      )
    }
  },
  // Vine says nothing of a date's JSON form; ours is an ISO 8601 string
  { toJSONSchema: (schema) => Object.assign(schema, { type: 'string', format: 'date-time' }) }
)

/** An ISO 8601 time within TIME_RANGE */
export const time = () => vine.date({ formats: { utc: true } }).use(timeRangeRule())

/**
 * A UUID in any case. Its own rule rather than `.regex()`, whose JSON
 * schema would print the pattern without its `i` flag (lowercase only).
 */
const uuidRule = vine.createRule(
  (value, _, field) => {
    if (typeof value !== 'string' || !ANY_CASE_UUID_RE.test(value)) {
      field.report('The {{ field }} field must be a UUID', 'uuid', field)
    }
  },
  { toJSONSchema: (schema) => Object.assign(schema, { format: 'uuid' }) }
)

export const uuid = () => vine.string().trim().use(uuidRule())

/**
 * What the API document says of a union field. VineJS unions have no
 * `meta()`; call this last, as `optional()` makes a new union (a clone, as
 * `vine.object` makes of each field, keeps it).
 */
export function unionMeta<Union extends { toJSONSchema(): object; clone(): Union }>(
  union: Union,
  meta: object
): Union {
  const own = union.toJSONSchema.bind(union)
  const clone = union.clone.bind(union)
  return Object.assign(union, {
    toJSONSchema: () => ({ ...own(), ...meta }),
    clone: () => unionMeta(clone(), meta),
  })
}
