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
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>
  components: Schema
}
/** An answer as the check sees it: `path` below /api/v1 */
export interface Answer {
  method: string
  path: string
  status: number
  body: unknown
  text: string
}

const PREFIX = '/api/v1'

/**
 * The operations whose answers were checked, as "METHOD /template STATUS":
 * a test can tell the check ran for what it asked.
 */
export const checkedAnswers = new Set<string>()

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

/** The document's path template that `path` (below /api/v1) falls under. */
function templateOf(paths: OpenApiDocument['paths'], path: string) {
  return Object.keys(paths).find((template) => {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/]+\}/g, '[^/]+')
    return new RegExp(`^${pattern}$`).test(path)
  })
}

/**
 * A check of answers against one document; throws, saying why, for an
 * answer the document does not describe.
 */
export function openApiChecker(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  const components = closed(document.components)
  return (answer: Answer) => {
    const method = answer.method.toLowerCase()
    const status = String(answer.status)
    const shown = `${answer.method.toUpperCase()} ${answer.path} → ${status}`
    const template = templateOf(document.paths, answer.path)
    const operation = template ? document.paths[template][method] : undefined
    if (!operation) {
      // The document's description covers a path that is not one (404) and a method a path does not take (405).
      if (status !== '404' && status !== '405') {
        throw new Error(`OpenAPI: ${shown}: the document has no such operation`)
      }
      return
    }
    const documented = operation.responses[status]
    if (!documented) {
      throw new Error(`OpenAPI: ${shown}: the document lists no ${status} for it`)
    }
    checkedAnswers.add(`${method.toUpperCase()} ${template} ${status}`)
    const json = documented.content?.['application/json']
    if (!json) {
      if (answer.text) {
        throw new Error(`OpenAPI: ${shown}: a body where the document promises none`)
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
    if (!validate(answer.body)) {
      const errors = (validate.errors ?? [])
        .map((error) => {
          const field = error.params.unevaluatedProperty ?? error.params.missingProperty
          return `body${error.instancePath} ${error.message}${field ? ` (${field})` : ''}`
        })
        .join('; ')
      throw new Error(`OpenAPI: ${shown}: the body does not match the document: ${errors}`)
    }
  }
}

let served: Promise<ReturnType<typeof openApiChecker>> | undefined

async function load(base: string) {
  const response = await fetch(`${base}${PREFIX}/openapi.json`)
  return openApiChecker((await response.json()) as OpenApiDocument)
}

export async function checkAgainstOpenApi(response: ApiResponse) {
  const base = `http://${process.env.HOST}:${process.env.PORT}`
  const url = new URL(response.request.config.endpoint, base)
  if (!url.pathname.startsWith(`${PREFIX}/`) || url.pathname === `${PREFIX}/openapi.json`) {
    return
  }
  served ??= load(base)
  const check = await served
  check({
    method: response.request.config.method,
    path: url.pathname.slice(PREFIX.length),
    status: response.status(),
    body: response.body(),
    text: response.text(),
  })
}
