import { fieldError } from '#validators/field_error'

/**
 * The Channel form of the admin UI posts `config[...]` fields, webhook
 * headers as "Name: value" lines. `channelFormInput` turns the body into
 * the REST API's shape, so the same validators and ChannelService apply.
 */
type FormBody = Record<string, unknown>

const CONFIG_FIELDS = ['url', 'method', 'body', 'to', 'topic', 'token'] as const

export function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) {
      continue
    }
    const at = line.indexOf(':')
    if (at < 1) {
      throw fieldError('config.headers', 'Write one header a line, as Name: value', 'headers')
    }
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim()
  }
  return headers
}

export function formatHeaders(headers: unknown): string {
  if (!headers || typeof headers !== 'object') {
    return ''
  }
  return Object.entries(headers as Record<string, string>)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')
}

/**
 * Only the fields the kind uses: a browser without script posts them all.
 */
export function channelFormInput(body: FormBody, kind = body.kind) {
  const raw = (body.config ?? {}) as Record<string, unknown>
  const config: Record<string, unknown> = {}
  for (const field of CONFIG_FIELDS) {
    if (typeof raw[field] === 'string' && raw[field] !== '') {
      config[field] = raw[field]
    }
  }
  if (kind === 'webhook' && typeof raw.headers === 'string') {
    config.headers = parseHeaders(raw.headers)
  }
  if (kind !== 'webhook') {
    delete config.method
    delete config.body
  }
  if (kind !== 'ntfy') {
    delete config.topic
    delete config.token
  }
  return { kind, name: body.name, config }
}
