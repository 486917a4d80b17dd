import vine, { SimpleMessagesProvider } from '@vinejs/vine'
import { PASSWORD_MIN_LENGTH, PASSWORD_RULE, text } from '#validators/rules'
import { REPORT_PERIODS } from '#models/report_schedule'
import { timeZoneRule } from '#validators/token'

const password = () => vine.string().minLength(PASSWORD_MIN_LENGTH).maxLength(200)

/**
 * An admin creates a User.
 */
export const createUserValidator = vine.create({
  email: text()
    .trim()
    .email()
    .maxLength(254)
    .toLowerCase()
    .unique({ table: 'users', column: 'email' }),
  password: password(),
  is_admin: vine.boolean().optional(),
})

export const userChangeValidator = vine.create({
  change: vine.enum(['make_admin', 'remove_admin', 'disable', 'enable'] as const),
})

/**
 * A person changes their own password.
 */
export const changePasswordValidator = vine.create({
  current_password: vine.string().minLength(1).maxLength(200),
  password: password().confirmed(),
})

/** The rules of a person's email report: daily or weekly (Mondays), at an hour of their time zone */
const report = {
  period: () =>
    vine.enum(REPORT_PERIODS).meta({
      description:
        '`daily`, `weekly` (on Mondays) or `off`: a mail of every Token of yours with its status, its downtimes in the period and its last failures',
      example: 'weekly',
    }),
  hour: () =>
    vine
      .number()
      .withoutDecimals()
      .range([0, 23])
      .meta({ description: 'The hour it is sent, in `tz`', example: 8 }),
  tz: () =>
    vine.string().trim().maxLength(64).use(timeZoneRule()).meta({
      description: 'IANA time zone of the hour and of the times in the mail',
      example: 'UTC',
    }),
}

/** The account page's report form */
export const reportSettingsValidator = vine.create({
  report_period: report.period(),
  report_hour: report.hour(),
  report_tz: report.tz(),
})

/** The API's report settings (PUT /api/v1/account/report) */
export const accountReportValidator = vine.create({
  period: report.period(),
  hour: report.hour(),
  tz: report.tz(),
})

export const createApiKeyValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100),
  access: vine.enum(['read-only', 'read-write'] as const),
})

export const userMessages = new SimpleMessagesProvider({
  'email.database.unique': 'A User with this email exists already',
  'password.minLength': `Use ${PASSWORD_RULE}`,
  'password_confirmation.confirmed': 'The two new passwords differ',
  'report_tz.tz': 'Use an IANA time zone, such as UTC or Europe/Berlin',
})
