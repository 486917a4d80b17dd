/**
 * Building blocks of the OpenAPI document's schemas.
 */
export const uuid = { type: 'string', format: 'uuid' }
export const dateTime = { type: 'string', format: 'date-time' }
export const nullable = (schema: Record<string, unknown>) => ({
  oneOf: [schema, { type: 'null' }],
})
