import vine from '@vinejs/vine'

/**
 * How many items a page of an API list holds: the validators, the services
 * that page and the API document read it.
 */
export const PAGE_SIZE = { min: 1, max: 100, default: 50 } as const

export const limit = () =>
  vine
    .number()
    .withoutDecimals()
    .range([PAGE_SIZE.min, PAGE_SIZE.max])
    .optional()
    .meta({ default: PAGE_SIZE.default })

export const cursor = () =>
  vine
    .string()
    .maxLength(100)
    .optional()
    .meta({ description: 'The next_cursor of the previous page' })

export const pageValidator = vine.create({ limit: limit(), cursor: cursor() })
