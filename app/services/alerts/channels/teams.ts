import vine from '@vinejs/vine'
import { safeRequest } from '#services/alerts/safe_http'
import { describeReason, subjectOf, type AlertMessage } from '#services/alerts/message'
import { defineChannelKind, expectOk } from '#services/alerts/channels/kind'
import { channelUrl, urlFormField } from '#services/alerts/channels/fields'

const COLORS: Record<string, string> = { down: 'attention', warning: 'warning', up: 'good' }

/**
 * The message as one Adaptive Card, in the envelope a Teams workflow's
 * "When a Teams webhook request is received" trigger takes
 * (learn.microsoft.com, "Create incoming webhooks with Workflows for Microsoft Teams").
 */
export function adaptiveCardMessage(message: AlertMessage) {
  const facts = [
    { title: 'Status', value: message.status },
    { title: 'Reason', value: describeReason(message.reason) },
    { title: 'At', value: message.at.toISOString() },
    { title: 'Ping URL', value: message.pingUrl },
    ...(message.tags.length > 0 ? [{ title: 'Tags', value: message.tags.join(' ') }] : []),
    ...(message.exitStatus === null
      ? []
      : [{ title: 'Exit status', value: String(message.exitStatus) }]),
    ...(message.silencedChildren.length > 0
      ? [{ title: 'Also down', value: message.silencedChildren.join(', ') }]
      : []),
  ]
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: subjectOf(message),
      weight: 'Bolder',
      size: 'Medium',
      color: COLORS[message.status] ?? 'default',
      wrap: true,
    },
    { type: 'FactSet', facts },
  ]
  if (message.body) {
    body.push({
      type: 'TextBlock',
      text: message.body.slice(0, 1000),
      fontType: 'Monospace',
      wrap: true,
    })
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
        },
      },
    ],
  }
}

export default defineChannelKind({
  name: 'teams',
  label: 'Microsoft Teams (workflow)',
  reaches: 'http',
  config: vine.object({
    url: channelUrl().meta({
      description:
        'The URL of a Teams workflow started by "When a Teams webhook request is received" (Power Automate)',
    }),
  }),
  example: {
    url: 'https://prod-00.westeurope.logic.azure.com:443/workflows/0123abcd/triggers/manual/paths/invoke?api-version=2016-06-01&sig=XXXX',
  },
  secrets: { url: 'url-path' },
  form: { fields: [urlFormField] },
  /** The workflow answers 202 once it has taken the request */
  async send(config, message, options) {
    const response = await safeRequest({
      method: 'POST',
      url: config.url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(adaptiveCardMessage(message)),
      ...options,
    })
    expectOk(response, 'The Teams workflow')
  },
})
