/*
|--------------------------------------------------------------------------
| Routes
|--------------------------------------------------------------------------
*/

import { fileURLToPath } from 'node:url'
import router from '@adonisjs/core/services/router'
import { controllers } from '#generated/controllers'
import { middleware } from '#start/kernel'

router.get('/health/live', [controllers.Health, 'live']).as('health.live')
router.get('/health/ready', [controllers.Health, 'ready']).as('health.ready')
router.get('/metrics', [controllers.Metrics, 'show']).use(middleware.metricsAuth()).as('metrics')

/*
| Public, the URL being the credential: status badges and a Project's Prometheus endpoint
*/
router.get('/badge/:key/:signature/:file', [controllers.Badges, 'show']).as('badges.show')
router
  .get('/projects/:uuid/metrics/:key', [controllers.ProjectMetrics, 'show'])
  .as('projects.metrics')

/**
 * Front-end libraries come from node_modules, so no page loads anything
 * from another host and no asset build is needed.
 */
const vendor = {
  'alpine.js': '@alpinejs/csp/dist/cdn.min.js',
  'uplot.js': 'uplot/dist/uPlot.iife.min.js',
  'uplot.css': 'uplot/dist/uPlot.min.css',
} as const
router
  .get('/vendor/:file', ({ params, response }) => {
    const entry = vendor[params.file as keyof typeof vendor]
    if (!entry) {
      return response.notFound('not found')
    }
    response.header('cache-control', 'public, max-age=86400')
    return response.download(fileURLToPath(import.meta.resolve(entry)))
  })
  .as('vendor')

/*
| Admin UI
*/
router
  .group(() => {
    router.get('/login', [controllers.admin.Session, 'create']).as('session.create')
    router.post('/login', [controllers.admin.Session, 'store']).as('session.store')
  })
  .use(middleware.guest())

router
  .group(() => {
    router.on('/').redirectToPath('/dashboard')
    router.get('/dashboard', [controllers.admin.Dashboard, 'index']).as('dashboard')
    router
      .get('/dashboard/rows', [controllers.admin.Dashboard, 'rows'])
      .as('dashboard.rows')
      .use(middleware.keepFlash())
    router.post('/logout', [controllers.admin.Session, 'destroy']).as('session.destroy')

    router.get('/tokens/new', [controllers.admin.Tokens, 'create']).as('tokens.create')
    router.post('/tokens', [controllers.admin.Tokens, 'store']).as('tokens.store')
    router.get('/tokens/:id', [controllers.admin.Tokens, 'show']).as('tokens.show')
    router.get('/tokens/:id/edit', [controllers.admin.Tokens, 'edit']).as('tokens.edit')
    router.put('/tokens/:id', [controllers.admin.Tokens, 'update']).as('tokens.update')
    router.delete('/tokens/:id', [controllers.admin.Tokens, 'destroy']).as('tokens.destroy')
    router.post('/tokens/:id/pause', [controllers.admin.TokenStatus, 'pause']).as('tokens.pause')
    router.post('/tokens/:id/resume', [controllers.admin.TokenStatus, 'resume']).as('tokens.resume')
    router.post('/tokens/:id/snooze', [controllers.admin.TokenStatus, 'snooze']).as('tokens.snooze')
    router
      .get('/tokens/:id/live', [controllers.admin.TokenStatus, 'live'])
      .as('tokens.live')
      .use(middleware.keepFlash())
    router.get('/pings/:id', [controllers.admin.Pings, 'show']).as('pings.show')
    router
      .get('/schedule/preview', [controllers.admin.SchedulePreview, 'show'])
      .as('schedule.preview')
      .use(middleware.keepFlash())

    router.get('/channels', [controllers.admin.Channels, 'index']).as('channels.index')
    router.get('/channels/new', [controllers.admin.Channels, 'create']).as('channels.create')
    router.post('/channels', [controllers.admin.Channels, 'store']).as('channels.store')
    router.get('/channels/:id/edit', [controllers.admin.Channels, 'edit']).as('channels.edit')
    router.put('/channels/:id', [controllers.admin.Channels, 'update']).as('channels.update')
    router.delete('/channels/:id', [controllers.admin.Channels, 'destroy']).as('channels.destroy')
    router.post('/channels/:id/test', [controllers.admin.ChannelTests, 'store']).as('channels.test')

    router.get('/api-keys', [controllers.admin.ApiKeys, 'index']).as('api_keys.index')
    router.post('/api-keys', [controllers.admin.ApiKeys, 'store']).as('api_keys.store')
    router.delete('/api-keys/:id', [controllers.admin.ApiKeys, 'destroy']).as('api_keys.destroy')

    router.get('/account', [controllers.admin.Account, 'show']).as('account.show')
    router.put('/account/password', [controllers.admin.Account, 'update']).as('account.password')
    router.put('/account/report', [controllers.admin.Account, 'report']).as('account.report')
    router
      .post('/account/ping-key', [controllers.admin.Account, 'regeneratePingKey'])
      .as('account.ping_key')

    router.get('/project', [controllers.admin.Projects, 'show']).as('projects.show')
    router.put('/project', [controllers.admin.Projects, 'update']).as('projects.update')
    router.delete('/project', [controllers.admin.Projects, 'destroy']).as('projects.destroy')
    router.post('/projects', [controllers.admin.Projects, 'store']).as('projects.store')
    router.post('/projects/switch', [controllers.admin.Projects, 'switch']).as('projects.switch')
    router
      .post('/project/invites', [controllers.admin.ProjectMembers, 'invite'])
      .as('projects.invite')
    router
      .put('/project/members/:userId', [controllers.admin.ProjectMembers, 'update'])
      .as('projects.members.update')
    router
      .delete('/project/members/:userId', [controllers.admin.ProjectMembers, 'destroy'])
      .as('projects.members.destroy')
    router.post('/project/leave', [controllers.admin.ProjectMembers, 'leave']).as('projects.leave')
    router
      .post('/project/transfer', [controllers.admin.ProjectMembers, 'transfer'])
      .as('projects.transfer')
    router
      .get('/invites/:code', [controllers.admin.ProjectMembers, 'showInvite'])
      .as('invites.show')
    router.post('/invites/:code', [controllers.admin.ProjectMembers, 'accept']).as('invites.accept')

    router.get('/users', [controllers.admin.Users, 'index']).as('users.index')
    router.post('/users', [controllers.admin.Users, 'store']).as('users.store')
    router.put('/users/:id', [controllers.admin.Users, 'update']).as('users.update')
    router.delete('/users/:id', [controllers.admin.Users, 'destroy']).as('users.destroy')
  })
  .use([middleware.auth({ guards: ['web'] }), middleware.project()])

/*
| REST API: the OpenAPI document and its reference page are public
*/
router.get('/api/v1/openapi.json', [controllers.api.v1.Openapi, 'show']).as('api.v1.openapi')
router.get('/docs/api', [controllers.api.v1.Openapi, 'reference']).as('api.reference')

router
  .group(() => {
    router.get('/tokens', [controllers.api.v1.Tokens, 'index']).as('tokens.index')
    router.post('/tokens', [controllers.api.v1.Tokens, 'store']).as('tokens.store')
    router.get('/tokens/:id', [controllers.api.v1.Tokens, 'show']).as('tokens.show')
    router.patch('/tokens/:id', [controllers.api.v1.Tokens, 'update']).as('tokens.update')
    router.delete('/tokens/:id', [controllers.api.v1.Tokens, 'destroy']).as('tokens.destroy')
    router.post('/tokens/:id/pause', [controllers.api.v1.Tokens, 'pause']).as('tokens.pause')
    router.post('/tokens/:id/resume', [controllers.api.v1.Tokens, 'resume']).as('tokens.resume')
    router.post('/tokens/:id/snooze', [controllers.api.v1.Tokens, 'snooze']).as('tokens.snooze')
    router.get('/tokens/:id/pings', [controllers.api.v1.TokenPings, 'index']).as('tokens.pings')
    router.get('/tokens/:id/flips', [controllers.api.v1.TokenPings, 'flips']).as('tokens.flips')

    router.get('/pings', [controllers.api.v1.Pings, 'index']).as('pings.index')
    router.post('/pings', [controllers.api.v1.Pings, 'store']).as('pings.store')
    router.get('/pings/:id', [controllers.api.v1.Pings, 'show']).as('pings.show')
    router.delete('/pings/:id', [controllers.api.v1.Pings, 'destroy']).as('pings.destroy')

    router.get('/channels', [controllers.api.v1.Channels, 'index']).as('channels.index')
    router.post('/channels', [controllers.api.v1.Channels, 'store']).as('channels.store')
    router.get('/channels/:id', [controllers.api.v1.Channels, 'show']).as('channels.show')
    router.patch('/channels/:id', [controllers.api.v1.Channels, 'update']).as('channels.update')
    router.delete('/channels/:id', [controllers.api.v1.Channels, 'destroy']).as('channels.destroy')

    router.get('/account/report', [controllers.api.v1.Account, 'showReport']).as('account.report')
    router
      .put('/account/report', [controllers.api.v1.Account, 'updateReport'])
      .as('account.report.update')
  })
  .prefix('/api/v1')
  .as('api.v1')
  .use([
    middleware.api(),
    middleware.auth({ guards: ['api'] }),
    middleware.project(),
    middleware.apiThrottle(),
    middleware.apiWrite(),
    middleware.apiInput(),
  ])

/*
| Management API v3, as healthchecks serves it (its keys, bodies, answers and errors)
*/
const V3Checks = () => import('#controllers/api/v3/checks_controller')
const V3CheckPings = () => import('#controllers/api/v3/check_pings_controller')
const V3Channels = () => import('#controllers/api/v3/channels_controller')
const CHECK_UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const CHECK_ID = /^([0-9a-fA-F-]{36}|[A-Za-z0-9]{40})$/

router
  .group(() => {
    // the key first, then its rate limit (group middleware would run before the key is read)
    const read = [middleware.apiV3({ access: 'read' }), middleware.apiThrottle()]
    const write = [middleware.apiV3({ access: 'write' }), middleware.apiThrottle()]
    router.get('/checks', [V3Checks, 'index']).use(read).as('checks.index')
    router.post('/checks', [V3Checks, 'store']).use(write).as('checks.store')
    router.get('/checks/:id', [V3Checks, 'show']).where('id', CHECK_ID).use(read).as('checks.show')
    router
      .post('/checks/:id', [V3Checks, 'update'])
      .where('id', CHECK_UUID)
      .use(write)
      .as('checks.update')
    router
      .delete('/checks/:id', [V3Checks, 'destroy'])
      .where('id', CHECK_UUID)
      .use(write)
      .as('checks.destroy')
    router
      .post('/checks/:id/pause', [V3Checks, 'pause'])
      .where('id', CHECK_UUID)
      .use(write)
      .as('checks.pause')
    router
      .post('/checks/:id/resume', [V3Checks, 'resume'])
      .where('id', CHECK_UUID)
      .use(write)
      .as('checks.resume')
    router
      .get('/checks/:id/pings', [V3CheckPings, 'index'])
      .where('id', CHECK_UUID)
      .use(write)
      .as('checks.pings')
    router
      .get('/checks/:id/pings/:n/body', [V3CheckPings, 'body'])
      .where('id', CHECK_UUID)
      .use(write)
      .as('checks.pings.body')
    router
      .get('/checks/:id/flips', [V3CheckPings, 'flips'])
      .where('id', CHECK_ID)
      .use(read)
      .as('checks.flips')
    router.get('/channels', [V3Channels, 'index']).use(write).as('channels.index')
    router.get('/badges', [V3Channels, 'badges']).use(read).as('badges.index')
    router.get('/status', [V3Channels, 'status']).as('status')
    router.route('/*', ['OPTIONS'], [V3Channels, 'preflight']).as('preflight')
  })
  .prefix('/api/v3')
  .as('api.v3')
