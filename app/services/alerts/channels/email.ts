import vine from '@vinejs/vine'
import mail from '@adonisjs/mail/services/main'
import { text } from '#validators/rules'
import { subjectOf, textOf } from '#services/alerts/message'
import { defineChannelKind } from '#services/alerts/channels/kind'

export default defineChannelKind({
  name: 'email',
  label: 'Email',
  reaches: 'mail',
  config: vine.object({
    to: text().trim().email().maxLength(254).meta({ description: 'The address' }),
  }),
  example: { to: 'ops@example.com' },
  secrets: {},
  form: {
    fields: [{ name: 'to', label: 'Send to', input: 'email' }],
  },
  async send(config, message) {
    await mail.send((mailMessage) => {
      mailMessage.to(config.to).subject(subjectOf(message)).text(textOf(message))
    })
  },
})
