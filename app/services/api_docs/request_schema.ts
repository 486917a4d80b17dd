import type { Schema } from '#services/api_docs/schema_text'

/**
 * Request schemas of the API document, made from the VineJS validators
 * (`toJSONSchema()`), so each limit is written once, in the validator.
 * What VineJS 4.4 prints is adjusted where it says other than the
 * validator does:
 * - an optional union prints an empty `{}` branch (which admits anything)
 *   and lists the field as required;
 * - `vine.boolean()` prints every spelling it accepts ("on", 1, …): the
 *   document promises a JSON boolean;
 * - an object prints `additionalProperties: false`, but VineJS drops
 *   unknown fields rather than refusing them;
 * - an enum prints no type, which the reference page shows as "any";
 * - `url()` prints `format: uri`, but validator.js's URLs are not RFC
 *   3986's (an internationalised host is one, not a URI).
 * Custom rules (#validators/rules) print their own part.
 */

interface WithJsonSchema {
  toJSONSchema(): object
}

const BOOLEAN_SPELLINGS = new Set(['1', 1, 'true', true, 'on', '0', 0, 'false', false])

const isEmpty = (schema: Schema) => Object.keys(schema).length === 0

/** An optional union's `{}` branch: the field may be left out */
const hasAnyBranch = (schema: Schema) =>
  Array.isArray(schema.anyOf) && schema.anyOf.some((branch: Schema) => isEmpty(branch))

function adjust(schema: Schema): Schema {
  const out: Schema = { ...schema }
  if (Array.isArray(out.enum) && out.type === undefined) {
    if (
      out.enum.length === BOOLEAN_SPELLINGS.size &&
      out.enum.every((value: unknown) => BOOLEAN_SPELLINGS.has(value as never))
    ) {
      delete out.enum
      out.type = 'boolean'
    } else if (out.enum.every((value: unknown) => typeof value === 'string')) {
      out.type = 'string'
    }
  }
  if (out.format === 'uri') {
    delete out.format
  }
  if (Array.isArray(out.anyOf)) {
    out.anyOf = out.anyOf.filter((branch: Schema) => !isEmpty(branch)).map(adjust)
  }
  if (out.items && typeof out.items === 'object') {
    out.items = adjust(out.items)
  }
  if (out.additionalProperties === false) {
    delete out.additionalProperties
  } else if (out.additionalProperties && typeof out.additionalProperties === 'object') {
    out.additionalProperties = adjust(out.additionalProperties)
  }
  if (out.properties) {
    const properties = out.properties as Record<string, Schema>
    const required = ((out.required ?? []) as string[]).filter(
      (name) => !hasAnyBranch(properties[name])
    )
    out.properties = Object.fromEntries(
      Object.entries(properties).map(([name, property]) => [name, adjust(property)])
    )
    if (required.length) {
      out.required = required
    } else {
      delete out.required
    }
  }
  return out
}

/** The JSON schema of what a validator takes, with `extra` (an example, a description) */
export function requestSchema(validator: WithJsonSchema, extra: Schema = {}): Schema {
  return { ...adjust(validator.toJSONSchema() as Schema), ...extra }
}

/** The query parameters a validator takes, by name, less those `omit` names */
export function queryParameters(validator: WithJsonSchema, omit: string[] = []) {
  const properties = requestSchema(validator).properties as Record<string, Schema>
  return Object.fromEntries(Object.entries(properties).filter(([name]) => !omit.includes(name)))
}

/** Each field's default for what is left out */
export function withDefaults(schema: Schema, defaults: Record<string, unknown>): Schema {
  const properties = { ...(schema.properties as Record<string, Schema>) }
  for (const [name, value] of Object.entries(defaults)) {
    if (!properties[name]) {
      throw new Error(`A default for ${name}, which the schema does not take`)
    }
    properties[name] = { ...properties[name], default: value }
  }
  return { ...schema, properties }
}
