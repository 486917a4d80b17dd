import mail from '@adonisjs/mail/services/main'
import type Channel from '#models/channel'
import { safeRequest, type SafeResponse } from '#services/alerts/safe_http'
import { renderJsonTemplate, renderTemplate } from '#services/alerts/template'
import { headerValue } from '#services/alerts/header_value'
import { subjectOf, textOf, type AlertMessage } from '#services/alerts/message'

export interface TransportOptions {
  allowPrivate: boolean
}

function expectOk(response: SafeResponse, what: string) {
  if (response.status < 200 || response.status >= 300) {
    const detail = response.body ? `: ${response.body.slice(0, 200)}` : ''
    throw new Error(`${what} answered ${response.status}${detail}`)
  }
}

/**
 * A webhook's body: a JSON template (recognised by its shape) is filled with
 * escaped values and sent as JSON; any other is sent as text, escaped for
 * JSON only when the Channel says the body is JSON.
 */
function webhookBody(config: Record<string, any>, message: AlertMessage, contentType?: string) {
  if (!config.body) {
    const summary = { ...message, at: message.at.toISOString(), text: subjectOf(message) }
    return { body: JSON.stringify(summary), type: 'application/json' }
  }
  const json = renderJsonTemplate(config.body, message)
  if (json !== null) {
    return { body: json, type: 'application/json' }
  }
  const escape = contentType?.includes('json') ? 'json' : 'none'
  return { body: renderTemplate(config.body, message, escape), type: 'text/plain; charset=utf-8' }
}

async function webhook(
  config: Record<string, any>,
  message: AlertMessage,
  options: TransportOptions
) {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries<string>(config.headers ?? {})) {
    headers[name.toLowerCase()] = headerValue(renderTemplate(value, message))
  }
  const method = config.method ?? 'POST'
  let body: string | undefined
  if (method !== 'GET') {
    const filled = webhookBody(config, message, headers['content-type'])
    headers['content-type'] ??= filled.type
    body = filled.body
  }
  const url = renderTemplate(config.url, message, 'url')
  const response = await safeRequest({ method, url, headers, body, ...options })
  expectOk(response, 'The webhook')
}

async function slack(
  config: Record<string, any>,
  message: AlertMessage,
  options: TransportOptions
) {
  const body = JSON.stringify({ text: textOf(message) })
  const headers = { 'content-type': 'application/json' }
  const response = await safeRequest({ method: 'POST', url: config.url, headers, body, ...options })
  expectOk(response, 'Slack')
}

/**
 * Published as JSON to the server's root (docs.ntfy.sh/publish, "Publish as
 * JSON"), so a title in any script needs no header encoding.
 */
async function ntfy(config: Record<string, any>, message: AlertMessage, options: TransportOptions) {
  const down = message.status === 'down'
  const warning = message.status === 'warning'
  const body = JSON.stringify({
    topic: config.topic,
    title: subjectOf(message),
    message: textOf(message),
    priority: down ? 4 : 3,
    tags: [down ? 'rotating_light' : warning ? 'warning' : 'white_check_mark'],
  })
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (config.token) {
    headers.authorization = `Bearer ${config.token}`
  }
  const url = `${String(config.url).replace(/\/+$/, '')}/`
  const response = await safeRequest({ method: 'POST', url, headers, body, ...options })
  expectOk(response, 'ntfy')
}

async function email(config: Record<string, any>, message: AlertMessage) {
  await mail.send((mailMessage) => {
    mailMessage.to(config.to).subject(subjectOf(message)).text(textOf(message))
  })
}

/**
 * Sends a message through a Channel; throws with a readable reason on failure.
 */
export async function deliver(channel: Channel, message: AlertMessage, options: TransportOptions) {
  switch (channel.kind) {
    case 'webhook':
      return webhook(channel.config, message, options)
    case 'slack':
      return slack(channel.config, message, options)
    case 'ntfy':
      return ntfy(channel.config, message, options)
    case 'email':
      return email(channel.config, message)
  }
}
