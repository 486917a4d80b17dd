import type { VineObject } from '@vinejs/vine'
import config from '@adonisjs/core/services/config'
import type { Infer, SchemaTypes } from '@vinejs/vine/types'
import type { AlertMessage } from '#services/alerts/message'
import type { SafeResponse } from '#services/alerts/safe_http'

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
  input: 'url' | 'email' | 'text' | 'own'
  optional?: boolean
  placeholder?: string
  autocomplete?: string
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
  /** Sends one message; throws with a readable reason on failure */
  send(config: Infer<Config>, message: AlertMessage, options: TransportOptions): Promise<void>
}

export function defineChannelKind<const Name extends string, Config extends ConfigSchema>(
  kind: ChannelKindDefinition<Name, Config>
) {
  return kind
}

/** Throws unless an HTTP answer is a 2xx, naming who answered */
export function expectOk(response: SafeResponse, what: string) {
  if (response.status < 200 || response.status >= 300) {
    const detail = response.body ? `: ${response.body.slice(0, 200)}` : ''
    throw new Error(`${what} answered ${response.status}${detail}`)
  }
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
