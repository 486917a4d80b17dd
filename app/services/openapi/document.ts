import { tokenPaths } from '#services/openapi/token_paths'
import { pingAndChannelPaths } from '#services/openapi/ping_channel_paths'
import { schemas } from '#services/openapi/schemas'

/**
 * The OpenAPI 3.1 document of the REST API, served (publicly) at
 * /api/v1/openapi.json; it describes every other /api/v1 route, and a test
 * fails when a route exists that it lacks, or the reverse.
 */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ngip REST API',
      version: '1.0.0',
      description:
        'Manage Tokens, read Pings and Flips, and configure alert Channels. Authenticate with an API key ' +
        'as `Authorization: Bearer <key>` or `X-Api-Key: <key>`; read-only keys may only read. Lists use ' +
        'cursor pagination: pass `meta.next_cursor` as `cursor` for the next page. Bodies are JSON objects ' +
        '(`Content-Type: application/json`). A method a path does not take answers 405 with `Allow`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: `${serverUrl.replace(/\/+$/, '')}/api/v1` }],
    security: [{ bearer: [] }, { apiKey: [] }],
    tags: [
      { name: 'Tokens', description: 'Monitored jobs' },
      { name: 'Pings', description: 'Requests to ping URLs' },
      { name: 'Channels', description: 'Where alerts go' },
    ],
    paths: { ...tokenPaths, ...pingAndChannelPaths },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'An API key' },
      },
      schemas,
    },
  }
}
