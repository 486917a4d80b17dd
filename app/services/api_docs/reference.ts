import { inlineMarkdown, markdown } from '#services/support/markdown'
import type { openApiDocument } from '#services/api_docs/document'
import {
  EXAMPLE_UUID,
  exampleOf,
  limitsOf,
  refName,
  typeText,
  type Schema,
} from '#services/api_docs/schema_text'

/**
 * The API reference page's content, made from the OpenAPI document: every
 * text as escaped HTML (its Markdown rendered), every field with its type
 * and limits, every operation with an example request and answer.
 */
type Document = ReturnType<typeof openApiDocument>

export interface FieldRow {
  name: string
  where: string
  type: string
  ref: string | null
  limitsHtml: string
  descriptionHtml: string
}

function fieldRow(name: string, schema: Schema, where: string): FieldRow {
  const limits = limitsOf(schema)
  return {
    name,
    where,
    type: typeText(schema),
    ref: schema.$ref ? refName(schema.$ref) : null,
    limitsHtml: limits.map(inlineMarkdown).join('; '),
    descriptionHtml: schema.description ? inlineMarkdown(schema.description) : '',
  }
}

function curl(method: string, url: string, body: unknown) {
  const lines = [`curl -fsS${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} '${url}'`]
  lines.push(`  -H "Authorization: Bearer $NGIP_API_KEY"`)
  if (body !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`)
    lines.push(`  --data '${JSON.stringify(body).replaceAll("'", "'\\''")}'`)
  }
  return lines.join(' \\\n')
}

function exampleAnswer(op: Schema, schemas: Record<string, Schema>) {
  const responses = op.responses as Record<string, Schema>
  // A create's own answer (201) over the "found it already" 200 beside it
  const code = responses[201] ? '201' : Object.keys(responses).find((s) => s.startsWith('2'))!
  const answer = responses[code]
  const schema = answer.content?.['application/json']?.schema
  const head = `HTTP/1.1 ${code} ${answer.description}`
  if (!schema) {
    return head
  }
  const body = exampleOf(schema, schemas)
  return `${head}\nContent-Type: application/json\n\n${JSON.stringify(body, null, 2)}`
}

function operationOf(path: string, method: string, op: Schema, doc: Document) {
  const schemas = doc.components.schemas as Record<string, Schema>
  const params = (op.parameters ?? []) as Schema[]
  const id = params.find((param) => param.name === 'id')
  const examplePath = path.replace('{id}', id?.schema.type === 'integer' ? '42' : EXAMPLE_UUID)
  const bodySchema = op.requestBody?.content['application/json'].schema
  const body = bodySchema ? exampleOf(bodySchema, schemas) : undefined
  return {
    id: op.operationId as string,
    method,
    path,
    summaryHtml: inlineMarkdown(op.summary),
    parameters: params.map((param) =>
      fieldRow(param.name, param.schema, param.in + (param.required ? ', required' : ''))
    ),
    body: bodySchema ? refName(bodySchema.$ref) : null,
    answers: Object.entries(op.responses as Record<string, Schema>).map(([code, answer]) => ({
      code,
      descriptionHtml: inlineMarkdown(answer.description),
    })),
    exampleRequest: curl(method, `${doc.servers[0].url}${examplePath}`, body),
    exampleAnswer: exampleAnswer(op, schemas),
  }
}

export function apiReference(doc: Document) {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Schema>).map(([method, op]) =>
      operationOf(path, method, op, doc)
    )
  )
  const schemas = Object.entries(doc.components.schemas as Record<string, Schema>).map(
    ([name, schema]) => ({
      name,
      descriptionHtml: schema.description ? markdown(schema.description) : '',
      fields: Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(
        ([field, property]) =>
          fieldRow(field, property, (schema.required ?? []).includes(field) ? 'required' : '')
      ),
    })
  )
  return {
    title: doc.info.title,
    version: doc.info.version,
    descriptionHtml: markdown(doc.info.description),
    baseUrl: doc.servers[0].url,
    operations,
    schemas,
  }
}
