import vine from '@vinejs/vine'
import { safeRequest } from '#services/alerts/safe_http'
import { describeReason, subjectOf } from '#services/alerts/message'
import { defineChannelKind, expectOk, serviceUrl } from '#services/alerts/channels/kind'

const API = 'https://events.pagerduty.com'
/** An Events API v2 integration key */
const ROUTING_KEY_RE = /^[A-Za-z0-9]{32}$/

export default defineChannelKind({
  name: 'pagerduty',
  label: 'PagerDuty',
  reaches: 'http',
  hosts: ['events.pagerduty.com'],
  config: vine.object({
    routing_key: vine.string().trim().regex(ROUTING_KEY_RE).meta({
      description:
        'The integration key of a service\'s "Events API v2" integration (32 letters and digits)',
    }),
  }),
  messages: {
    'routing_key.regex':
      'A PagerDuty integration key (routing key) has 32 letters and digits: the Integration Key of an Events API v2 integration',
  },
  example: { routing_key: 'R0123456789abcdef0123456789ABCDE' },
  secrets: { routing_key: 'whole' },
  form: {
    fields: [
      {
        name: 'routing_key',
        label: 'Integration key',
        input: 'text',
        autocomplete: 'off',
        hint: 'A service\'s Integrations → Add an integration → "Events API V2": its Integration Key',
      },
    ],
  },
  sendsTo: () => 'PagerDuty (Events API v2)',
  /**
   * Events API v2 (developer.pagerduty.com, "Send an Alert Event"): a down or
   * warning triggers an alert, an up resolves it; the Token's uuid is the
   * dedup key, so one alert stands for one Token's outage. PagerDuty answers 202.
   */
  async send(config, message, options) {
    const event =
      message.status === 'up'
        ? { event_action: 'resolve' }
        : {
            event_action: 'trigger',
            payload: {
              summary: subjectOf(message).slice(0, 1024),
              source: message.slug ?? message.name,
              severity: message.status === 'down' ? 'critical' : 'warning',
              timestamp: message.at.toISOString(),
              custom_details: {
                reason: describeReason(message.reason),
                ping_url: message.pingUrl,
                tags: message.tags.join(' '),
                exit_status: message.exitStatus,
                last_ping_body: message.body.slice(0, 1000),
                also_down: message.silencedChildren,
              },
            },
            client: 'ngip',
          }
    const body = JSON.stringify({
      routing_key: config.routing_key,
      dedup_key: message.uuid,
      ...event,
    })
    const response = await safeRequest({
      method: 'POST',
      url: serviceUrl(API, '/v2/enqueue'),
      headers: { 'content-type': 'application/json' },
      body,
      ...options,
    })
    expectOk(response, 'PagerDuty')
  },
})
