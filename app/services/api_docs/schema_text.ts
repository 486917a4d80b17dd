/**
 * How the API reference page words a JSON Schema: its type ("string or
 * null", "array of Token"), its limits, and an example value built from the
 * document's examples and defaults.
 */
export type Schema = Record<string, any>

export const EXAMPLE_UUID = '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60'

const FORMAT_EXAMPLES: Record<string, string> = {
  'uuid': EXAMPLE_UUID,
  'date-time': '2026-11-30T03:00:12.345Z',
  'uri': 'https://example.com',
  'email': 'ops@example.com',
}

export const refName = (ref: string) => ref.split('/').pop()!

/** The branches of a choice: `oneOf`, `anyOf`, or a list of types */
function branchesOf(schema: Schema): Schema[] | undefined {
  if (schema.oneOf ?? schema.anyOf) {
    return schema.oneOf ?? schema.anyOf
  }
  if (Array.isArray(schema.type)) {
    return (schema.type as string[]).map((type) =>
      type === 'null' ? { type } : { ...schema, type }
    )
  }
  return undefined
}

export function typeText(schema: Schema): string {
  if (schema.$ref) {
    return refName(schema.$ref)
  }
  const branches = branchesOf(schema)
  if (branches) {
    return branches.map(typeText).join(' or ')
  }
  if (schema.type === 'array') {
    return `array of ${schema.items ? typeText(schema.items) : 'any'}`
  }
  if (schema.type === 'object' && schema.additionalProperties) {
    return `object of ${typeText(schema.additionalProperties)}`
  }
  return schema.format ? `${schema.type} (${schema.format})` : (schema.type ?? 'any')
}

function ownLimits(schema: Schema, inItems = false): string[] {
  const unit = inItems ? 'each ' : ''
  const limits: string[] = []
  if (schema.enum) {
    // an empty string as JSON writes it: an empty code span is no code span in Markdown
    const shown = (value: unknown) => (value === '' ? '""' : String(value))
    limits.push(`one of ${schema.enum.map((value: unknown) => `\`${shown(value)}\``).join(', ')}`)
  }
  if (schema.minLength !== undefined && schema.maxLength !== undefined) {
    limits.push(`${unit}${schema.minLength} to ${schema.maxLength} characters`)
  } else if (schema.maxLength !== undefined) {
    limits.push(`${unit}at most ${schema.maxLength} characters`)
  } else if (schema.minLength !== undefined) {
    limits.push(`${unit}at least ${schema.minLength} characters`)
  }
  if (schema.minimum !== undefined && schema.maximum !== undefined) {
    limits.push(`${schema.minimum} to ${schema.maximum}`)
  } else if (schema.minimum !== undefined) {
    limits.push(`at least ${schema.minimum}`)
  } else if (schema.maximum !== undefined) {
    limits.push(`at most ${schema.maximum}`)
  }
  if (schema.maxItems !== undefined) {
    limits.push(`at most ${schema.maxItems} items`)
  }
  if (schema.uniqueItems) {
    limits.push('no item twice')
  }
  if (schema.maxProperties !== undefined) {
    limits.push(`at most ${schema.maxProperties} entries`)
  }
  if (schema.pattern) {
    limits.push(`matches \`${schema.pattern}\``)
  }
  return limits
}

/** The limits of a field, its branches' and its items' included, as Markdown */
export function limitsOf(schema: Schema): string[] {
  const limits = [
    ...ownLimits(schema),
    ...(schema.items ? ownLimits(schema.items, true) : []),
    ...((schema.oneOf ?? schema.anyOf ?? []) as Schema[]).flatMap(limitsOf),
  ]
  if (schema.default !== undefined) {
    limits.push(`default \`${JSON.stringify(schema.default)}\``)
  }
  return limits
}

/**
 * An example of a value: the schema's own `example`, else its default, its
 * first choice, or one of its type; an object has every property.
 */
export function exampleOf(schema: Schema, schemas: Record<string, Schema>): unknown {
  if (schema.example !== undefined) {
    return schema.example
  }
  if (schema.$ref) {
    return exampleOf(schemas[refName(schema.$ref)], schemas)
  }
  if (schema.default !== undefined) {
    return schema.default
  }
  if (schema.enum) {
    return schema.enum[0]
  }
  const branches = branchesOf(schema)
  if (branches) {
    const branch = branches.find((one) => one.type !== 'null')
    return branch ? exampleOf(branch, schemas) : null
  }
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([name, one]) => [
          name,
          exampleOf(one, schemas),
        ])
      )
    case 'array':
      return schema.items ? [exampleOf(schema.items, schemas)] : []
    case 'integer':
    case 'number':
      return schema.minimum ?? 1
    case 'boolean':
      return false
    default:
      return FORMAT_EXAMPLES[schema.format] ?? 'text'
  }
}
