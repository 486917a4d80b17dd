/**
 * Building blocks of the OpenAPI document's schemas.
 */
type Schema = Record<string, unknown>

export const uuid = { type: 'string', format: 'uuid' }
export const dateTime = { type: 'string', format: 'date-time' }
export const nullable = (schema: Schema) => ({
  oneOf: [schema, { type: 'null' }],
})

/**
 * An answer's object: every field is always there (null when empty). Given
 * the type a transformer returns, the compiler holds the schema to exactly
 * its fields.
 */
export const answer = <Answer extends object>(properties: {
  [Field in keyof Answer]-?: Schema
}) => ({
  type: 'object',
  required: Object.keys(properties),
  properties: properties as Record<string, Schema>,
})
