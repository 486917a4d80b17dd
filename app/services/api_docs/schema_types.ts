/**
 * Building blocks of the OpenAPI document's schemas.
 */
export const uuid = { type: 'string', format: 'uuid' }
export const dateTime = { type: 'string', format: 'date-time' }
export const nullable = (schema: Record<string, unknown>) => ({
  oneOf: [schema, { type: 'null' }],
})

/** An answer's object: every field is always there (null when empty) */
export const answer = (properties: Record<string, unknown>) => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
})
