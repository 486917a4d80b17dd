import { isChannelKind, channelKind } from '#services/alerts/channels/index'

export { formatHeaders, parseHeaders } from '#services/alerts/channels/webhook_headers'

/**
 * The Channel form of the admin UI posts `config[...]` fields (each kind's
 * form fields). `channelFormInput` turns the body into the REST API's shape,
 * so the same validators and ChannelService apply.
 */
type FormBody = Record<string, unknown>

/**
 * Only the fields the kind uses: a browser without script posts them all.
 */
export function channelFormInput(body: FormBody, kind = body.kind) {
  const raw = (body.config ?? {}) as Record<string, unknown>
  const config: Record<string, unknown> = {}
  const fields = isChannelKind(kind) ? channelKind(kind).form.fields : []
  for (const field of fields) {
    const value = raw[field.name]
    if (typeof value !== 'string') {
      continue
    }
    if (field.parse) {
      config[field.name] = field.parse(value)
    } else if (value !== '') {
      config[field.name] = value
    }
  }
  const repeat = body.repeat_interval
  if (repeat === undefined) {
    return { kind, name: body.name, config }
  }
  // The form's repeat choice: empty (null once parsed) is "once", a number of seconds otherwise
  const seconds = repeat === '' || repeat === null ? null : Number(repeat)
  return { kind, name: body.name, config, repeat_interval: seconds }
}
