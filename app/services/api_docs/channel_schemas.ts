import {
  ANY_CHANNEL_KINDS as CHANNEL_KINDS,
  CHANNEL_KIND_NAMES,
} from '#services/alerts/channels/index'
import { HIDDEN } from '#services/alerts/channels/redaction'
import { requestSchema } from '#services/api_docs/request_schema'

type Schema = Record<string, any>

const HIDDEN_PATTERN = `^${HIDDEN.replace(/\*/g, '\\*')}$`

/** The component name of a kind's config schema: `WebhookChannelConfig` */
export function kindSchemaName(name: string) {
  return `${name[0].toUpperCase()}${name.slice(1)}ChannelConfig`
}

/**
 * A field as the API answers it: a hidden secret (HIDDEN) stands where a
 * value its pattern refuses would be.
 */
function answered(field: Schema, hidden: boolean): Schema {
  if (!hidden || !field.pattern || new RegExp(field.pattern).test(HIDDEN)) {
    return field
  }
  return { ...field, pattern: `(${field.pattern})|${HIDDEN_PATTERN}` }
}

/** A kind's config schema, made from its validator */
const configSchemas = new Map(CHANNEL_KINDS.map((kind) => [kind, requestSchema(kind.config)]))
const configOf = (kind: (typeof CHANNEL_KINDS)[number]) => configSchemas.get(kind)!

const lowerFirst = (text: string) => text[0].toLowerCase() + text.slice(1)

/**
 * Every kind's fields in one object (a field several kinds share, such as
 * `url`, once, its description saying which kind uses it how; kinds that
 * shape it differently each have their shape in `anyOf`), for the config as
 * sent or as answered.
 */
function mergedProperties(answer: boolean) {
  const shapes: Record<string, Schema[]> = {}
  const notes: Record<string, string[]> = {}
  for (const kind of CHANNEL_KINDS) {
    const secrets: Record<string, string | undefined> = kind.secrets
    for (const [name, field] of Object.entries(
      configOf(kind).properties as Record<string, Schema>
    )) {
      const { description, ...shape } = answer ? answered(field, secrets[name] === 'whole') : field
      const known = (shapes[name] ??= [])
      if (!known.some((other) => JSON.stringify(other) === JSON.stringify(shape))) {
        known.push(shape)
      }
      notes[name] = [
        ...(notes[name] ?? []),
        description ? `${kind.name}: ${lowerFirst(description)}` : kind.name,
      ]
    }
  }
  return Object.fromEntries(
    Object.entries(shapes).map(([name, [shape, ...others]]) => [
      name,
      {
        ...(others.length > 0 ? { anyOf: [shape, ...others] } : shape),
        description: notes[name].join('; '),
      },
    ])
  )
}

const kindList = CHANNEL_KINDS.map(
  (kind) => `${kind.name}: ${Object.keys(configOf(kind).properties).join(', ')}`
).join('; ')

const HIDING: Record<string, (kind: string, field: string) => string> = {
  'whole': (kind, field) => `${kind} ${field}`,
  'values': (kind, field) => `values of ${kind} ${field}`,
  'url-path': () => '',
}

const hiddenList = CHANNEL_KINDS.flatMap((kind) =>
  Object.entries(kind.secrets as Record<string, string>).map(([field, mode]) =>
    HIDING[mode](kind.name, field)
  )
)
  .filter(Boolean)
  .join(', ')

/** The config's shape for each kind, one component each */
export const channelKindSchemas = Object.fromEntries(
  CHANNEL_KINDS.map((kind) => [
    kindSchemaName(kind.name),
    {
      ...configOf(kind),
      description: `The config of a Channel of kind \`${kind.name}\` (${kind.label})`,
      example: kind.example,
    },
  ])
)

/**
 * The config of a Channel: the fields of every kind, and the config of one
 * of them.
 */
export const channelConfig = {
  description:
    `${kindList}. Read-only API keys see it without credentials: ${hiddenList} hidden, ` +
    'URLs cut to their origin.',
  type: 'object',
  example: CHANNEL_KINDS[0].example,
  properties: mergedProperties(false),
  anyOf: CHANNEL_KINDS.map((kind) => ({
    $ref: `#/components/schemas/${kindSchemaName(kind.name)}`,
  })),
}

/**
 * The config as the API answers it: what a read-only key sees hidden
 * (HIDDEN) stands where a secret would be.
 */
export const channelConfigAnswer = {
  description: channelConfig.description,
  type: 'object',
  example: channelConfig.example,
  properties: mergedProperties(true),
}

export const channelKindEnum = { type: 'string', enum: CHANNEL_KIND_NAMES }
