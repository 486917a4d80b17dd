import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { ApiResponse } from '@japa/api-client'

/**
 * Every /api/v1 answer a test receives through the api-client is checked
 * against the served OpenAPI document (`/api/v1/openapi.json`): its
 * operation must document the status, and the body must match that
 * status' schema, with no field the schema does not name. So the document
 * cannot promise less, or other, than the API gives.
 */

type Schema = Record<string, unknown>
interface Operation {
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>
}
interface Checker {
  document: { paths: Record<string, Record<string, Operation>> }
  /** The document's components, closed: response schemas refer into them */
  components: unknown
  ajv: InstanceType<typeof Ajv2020>
}

const PREFIX = '/api/v1'
let checker: Promise<Checker> | undefined

/**
 * An object schema that names its properties and says nothing of others
 * admits no others: a field the document does not promise fails the check.
 */
function closed(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(closed)
  }
  if (value === null || typeof value !== 'object') {
    return value
  }
  const schema = Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, closed(inner)])
  ) as Schema
  if (
    schema.properties &&
    typeof schema.properties === 'object' &&
    !('additionalProperties' in schema) &&
    !('unevaluatedProperties' in schema)
  ) {
    schema.unevaluatedProperties = false
  }
  return schema
}

async function load(base: string): Promise<Checker> {
  const response = await fetch(`${base}${PREFIX}/openapi.json`)
  const document = (await response.json()) as Checker['document'] & { components: Schema }
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  return { document, components: closed(document.components), ajv }
}

/** The document's path template that `path` (below /api/v1) falls under. */
function templateOf(paths: Checker['document']['paths'], path: string) {
  return Object.keys(paths).find((template) => {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/]+\}/g, '[^/]+')
    return new RegExp(`^${pattern}$`).test(path)
  })
}

function describe(response: ApiResponse) {
  return `${response.request.config.method} ${response.request.config.endpoint} → ${response.status()}`
}

export async function checkAgainstOpenApi(response: ApiResponse) {
  const base = `http://${process.env.HOST}:${process.env.PORT}`
  const url = new URL(response.request.config.endpoint, base)
  if (!url.pathname.startsWith(`${PREFIX}/`) || url.pathname === `${PREFIX}/openapi.json`) {
    return
  }
  checker ??= load(base)
  const { document, components, ajv } = await checker
  const path = url.pathname.slice(PREFIX.length)
  const method = response.request.config.method.toLowerCase()
  const template = templateOf(document.paths, path)
  const operation = template ? document.paths[template][method] : undefined
  const status = String(response.status())
  if (!operation) {
    // The document's description covers a path that is not one (404) and a method a path does not take (405).
    if (status !== '404' && status !== '405') {
      throw new Error(`OpenAPI: ${describe(response)}: the document has no such operation`)
    }
    return
  }
  const answer = operation.responses[status]
  if (!answer) {
    throw new Error(`OpenAPI: ${describe(response)}: the document lists no ${status} for it`)
  }
  const json = answer.content?.['application/json']
  if (!json) {
    if (response.text()) {
      throw new Error(`OpenAPI: ${describe(response)}: a body where the document promises none`)
    }
    return
  }
  // The components ride along, so the schema's `#/components/...` references resolve.
  const id = `https://ngip.invalid/openapi/${method}/${encodeURIComponent(template!)}/${status}`
  let validate = ajv.getSchema(id)
  if (!validate) {
    ajv.addSchema({ ...(closed(json.schema) as Schema), $id: id, components })
    validate = ajv.getSchema(id)!
  }
  if (!validate(response.body())) {
    const errors = (validate.errors ?? [])
      .map((error) => {
        const field = error.params.unevaluatedProperty ?? error.params.missingProperty
        return `body${error.instancePath} ${error.message}${field ? ` (${field})` : ''}`
      })
      .join('; ')
    throw new Error(
      `OpenAPI: ${describe(response)}: the body does not match the document: ${errors}`
    )
  }
}
