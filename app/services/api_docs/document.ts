import { tokenPaths } from '#services/api_docs/token_paths'
import { accountPaths } from '#services/api_docs/account_paths'
import { pingAndChannelPaths } from '#services/api_docs/ping_channel_paths'
import { schemas } from '#services/api_docs/schemas'
import { BODY_LIMIT } from '#services/api_docs/operation'
import { PAGE_SIZE } from '#validators/page'

export interface DocumentOptions {
  /** Requests a minute per API key (API_RATE_LIMIT) */
  rateLimit: number
}

function limits({ rateLimit }: DocumentOptions) {
  return [
    'Limits:',
    '',
    `- ${rateLimit} requests a minute per API key (\`API_RATE_LIMIT\`); past it 429 with \`Retry-After\`, ` +
      'and every answer says what is left in `X-RateLimit-Remaining`.',
    `- Request bodies up to ${BODY_LIMIT}; larger ones answer 413.`,
    `- Lists give ${PAGE_SIZE.min} to ${PAGE_SIZE.max} items a page (\`limit\`, ` +
      `${PAGE_SIZE.default} by default).`,
    '- Each field states its own limits below (lengths, ranges, patterns, choices); input past ' +
      'one answers 422 naming the field.',
  ].join('\n')
}

/**
 * The OpenAPI 3.1 document of the REST API, served (publicly) at
 * /api/v1/openapi.json; it describes every other /api/v1 route, and a test
 * fails when a route exists that it lacks, or the reverse.
 */
export function openApiDocument(serverUrl: string, options: DocumentOptions) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ngip REST API',
      version: '1.0.0',
      description:
        'Manage Tokens, read Pings and Flips, and configure alert Channels. Authenticate with an API key ' +
        'as `Authorization: Bearer <key>` or `X-Api-Key: <key>`; read-only keys may only read. Lists use ' +
        'cursor pagination: pass `meta.next_cursor` as `cursor` for the next page. Bodies are JSON objects ' +
        '(`Content-Type: application/json`). A method a path does not take answers 405 with `Allow`.\n\n' +
        limits(options),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: `${serverUrl.replace(/\/+$/, '')}/api/v1` }],
    security: [{ bearer: [] }, { apiKey: [] }],
    tags: [
      { name: 'Tokens', description: 'Monitored jobs' },
      { name: 'Pings', description: 'Requests to ping URLs' },
      { name: 'Channels', description: 'Where alerts go' },
      { name: 'Account', description: "The API key's own User" },
    ],
    paths: { ...tokenPaths, ...pingAndChannelPaths, ...accountPaths },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'An API key' },
      },
      schemas,
    },
  }
}
