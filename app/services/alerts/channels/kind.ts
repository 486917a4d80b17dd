import type { VineObject } from '@vinejs/vine'
import config from '@adonisjs/core/services/config'
import type { Infer, SchemaTypes } from '@vinejs/vine/types'
import type { AlertMessage } from '#services/alerts/message'
import { safeRequest, type SafeResponse } from '#services/alerts/safe_http'

export interface TransportOptions {
  allowPrivate: boolean
}

/**
 * How a read-only API key sees a secret config field: `whole` hides the
 * value, `values` the values of an object (header values), `url-path` cuts
 * a URL to its origin (a Slack or webhook URL's path is often the secret).
 */
export type SecretMode = 'whole' | 'values' | 'url-path'

/** A config field on the admin UI's Channel form, posted as `config[<name>]` */
export interface ChannelFormField<Field extends string = string> {
  name: Field
  label: string
  /** How the shared partial shows it; `own` when the kind's partial does */
  input: 'url' | 'email' | 'text' | 'select' | 'own'
  /** The choices of a `select`, in order; the first is preselected on a new Channel */
  options?: { value: string; label: string }[]
  optional?: boolean
  placeholder?: string
  autocomplete?: string
  /** A line under the input: where to find the value */
  hint?: string
  /** Turns the posted text into the config's value; without it an empty text is left out */
  parse?: (text: string) => unknown
}

export type ConfigSchema = VineObject<Record<string, SchemaTypes>, any, any, any>
type FieldOf<Config extends ConfigSchema> = keyof Infer<Config> & string

/**
 * One kind of Channel, everything about it in one place: the registry
 * (./index.ts) derives the validators, the API document, the form, the
 * redaction and the delivery from these.
 */
export interface ChannelKindDefinition<Name extends string, Config extends ConfigSchema> {
  name: Name
  /** As the form's kind list shows it */
  label: string
  /** How a notification leaves: through safe_http (config.url or `hosts`) or the mailer */
  reaches: 'http' | 'mail'
  /**
   * The service's own hosts, for a kind that has no URL in its config (Telegram,
   * PagerDuty…): it sends through `serviceUrl`, so CHANNEL_API_BASE_URLS can point
   * each one elsewhere.
   */
  hosts?: readonly string[]
  config: Config
  /** Messages of the config validator, keyed `<field>.<rule>` below `config` */
  messages?: Record<string, string>
  // The API document's schema of the config is made from `config` (#services/api_docs/request_schema):
  // what a field's rules cannot say, its `meta()` does.
  /** A config the validator accepts, holding every secret field; the document's example */
  example: Infer<Config>
  secrets: Partial<Record<FieldOf<Config>, SecretMode>>
  form: {
    fields: ChannelFormField<FieldOf<Config>>[]
    /** A partial of its own under partials/channels/, for the fields marked `own` */
    partial?: string
    /** Data its partial reads as `kindForm` */
    data?: Record<string, unknown>
  }
  /** What the Channel list shows under "Sends to"; without it the config's `to` or `url` */
  sendsTo?: (config: Infer<Config>) => string
  /** Sends one message; throws with a readable reason on failure */
  send(config: Infer<Config>, message: AlertMessage, options: TransportOptions): Promise<void>
}

export function defineChannelKind<const Name extends string, Config extends ConfigSchema>(
  kind: ChannelKindDefinition<Name, Config>
) {
  return kind
}

/** The longest a receiver's Retry-After is waited for; a longer one waits this long */
export const RETRY_AFTER_CAP_MS = 60 * 60 * 1000

/**
 * A delivery the receiver refused, with what it says about trying again:
 * `permanent` (a 4xx other than 408 and 429: the same request will be refused
 * again) or `retryAfterMs` (a 429's Retry-After). Neither: retried with backoff.
 */
export class DeliveryError extends Error {
  readonly status: number
  readonly permanent: boolean
  readonly retryAfterMs?: number

  constructor(
    message: string,
    options: { status: number; permanent?: boolean; retryAfterMs?: number }
  ) {
    super(message)
    this.name = 'DeliveryError'
    this.status = options.status
    this.permanent = options.permanent ?? false
    this.retryAfterMs = options.retryAfterMs
  }
}

/**
 * Milliseconds a Retry-After value asks to wait (RFC 9110 10.2.3: delay-seconds
 * or an HTTP date), at most RETRY_AFTER_CAP_MS; undefined when it says neither.
 */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()) {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!text) {
    return undefined
  }
  // Seconds are whole in the RFC; some services (Discord) send a fraction.
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.min(Math.ceil(Number(text) * 1000), RETRY_AFTER_CAP_MS)
  }
  const at = Date.parse(text)
  if (Number.isNaN(at)) {
    return undefined
  }
  return Math.min(Math.max(at - now, 0), RETRY_AFTER_CAP_MS)
}

/**
 * Throws unless an HTTP answer is a 2xx, naming who answered. The error says
 * whether to try again, and when: a 429 waits its Retry-After (or `retryAfter`,
 * for a service that says it in its body); any other 4xx but 408 is permanent.
 */
export function expectOk(
  response: SafeResponse,
  what: string,
  options: { retryAfterMs?: number } = {}
) {
  const { status } = response
  if (status >= 200 && status < 300) {
    return
  }
  const detail = response.body ? `: ${response.body.slice(0, 200)}` : ''
  if (status === 429) {
    const wait = retryAfterMs(response.headers['retry-after']) ?? options.retryAfterMs
    const when = wait === undefined ? '' : ` (retry after ${Math.ceil(wait / 1000)} s)`
    throw new DeliveryError(`${what} answered 429${when}${detail}`, {
      status,
      retryAfterMs: wait === undefined ? undefined : Math.min(wait, RETRY_AFTER_CAP_MS),
    })
  }
  const permanent = status >= 400 && status < 500 && status !== 408
  const note = permanent ? ' (not retried)' : ''
  throw new DeliveryError(`${what} answered ${status}${note}${detail}`, { status, permanent })
}

/**
 * The URL of a path on a service's own host (`https://api.telegram.org`), or on
 * the base CHANNEL_API_BASE_URLS names for that host.
 */
export function serviceUrl(origin: string, path: string) {
  const bases = config.get<Record<string, string>>('ngip.notifications.apiBaseUrls', {})
  const base = bases[new URL(origin).host] ?? origin.replace(/\/+$/, '')
  return `${base}${path}`
}

/**
 * Posts a JSON message to a webhook-style receiver through safe_http and throws
 * unless it answered 2xx (`expectOk`, so the delivery policy applies): what the
 * Slack-compatible kinds, Discord and the like all do.
 */
export async function postJsonMessage(
  url: string,
  payload: unknown,
  options: TransportOptions,
  what: string
) {
  const response = await safeRequest({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    ...options,
  })
  expectOk(response, what)
}
