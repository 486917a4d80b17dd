import { TOKEN_DEFAULTS } from '#models/token_defaults'
import { createTokenValidator, snoozeValidator, updateTokenValidator } from '#validators/token'
import { requestSchema, withDefaults } from '#services/api_docs/request_schema'
import { tokenSchema } from '#transformers/token_transformer'

/**
 * Component schemas of Tokens: what the API answers (beside its
 * transformer), what it takes (from its validators, with the defaults a
 * new Token gets).
 */
export const tokenSchemas = {
  Token: tokenSchema,
  TokenInput: withDefaults(
    requestSchema(createTokenValidator, {
      example: {
        name: 'db-backup',
        slug: 'db-backup',
        timeout: 86400,
        grace: 3600,
        tags: ['prod'],
      },
    }),
    TOKEN_DEFAULTS
  ),
  TokenChanges: requestSchema(updateTokenValidator, { example: { grace: 7200 } }),
  Snooze: requestSchema(snoozeValidator, { example: { minutes: 60 } }),
}
