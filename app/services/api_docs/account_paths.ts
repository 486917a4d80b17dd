import { read, write } from '#services/api_docs/operation'

/**
 * Operations on the API key's own User.
 */
export const accountPaths = {
  '/account/report': {
    get: read({
      id: 'getReport',
      tag: 'Account',
      summary: 'Read your email report settings',
      returns: 'Report',
    }),
    put: write({
      id: 'setReport',
      tag: 'Account',
      summary: 'Set your email report: daily or weekly at an hour of your time zone, or off',
      returns: 'Report',
      body: 'ReportInput',
    }),
  },
}
