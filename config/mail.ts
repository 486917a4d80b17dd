import env from '#start/env'
import { defineConfig, transports } from '@adonisjs/mail'

/**
 * Email Channels send through one SMTP server.
 */
const mailConfig = defineConfig({
  default: 'smtp',
  from: {
    address: env.get('MAIL_FROM', 'ngip@localhost'),
    name: 'ngip',
  },
  mailers: {
    smtp: transports.smtp({
      host: env.get('SMTP_HOST', '127.0.0.1'),
      port: env.get('SMTP_PORT', 25),
      secure: env.get('SMTP_SECURE', false),
      ignoreTLS: !env.get('SMTP_SECURE', false) && !env.get('SMTP_USERNAME'),
      ...(env.get('SMTP_USERNAME')
        ? {
            auth: {
              type: 'login' as const,
              user: env.get('SMTP_USERNAME')!,
              pass: env.get('SMTP_PASSWORD', ''),
            },
          }
        : {}),
      connectionTimeout: 10_000,
      socketTimeout: 20_000,
    }),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
