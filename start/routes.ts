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
router.get('/metrics', [controllers.Metrics, 'show']).as('metrics')

/**
 * Front-end libraries come from node_modules, so no page loads anything
 * from another host and no asset build is needed.
 */
const vendor = {
  'alpine.js': 'alpinejs/dist/cdn.min.js',
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
    router.post('/logout', [controllers.admin.Session, 'destroy']).as('session.destroy')
  })
  .use(middleware.auth({ guards: ['web'] }))

/*
| REST API
*/
router
  .group(() => {
    router.get('/tokens', [controllers.api.v1.Tokens, 'index']).as('tokens.index')
    router.post('/tokens', [controllers.api.v1.Tokens, 'store']).as('tokens.store')
    router.get('/tokens/:id', [controllers.api.v1.Tokens, 'show']).as('tokens.show')
    router.get('/tokens/:id/pings', [controllers.api.v1.TokenPings, 'index']).as('tokens.pings')
  })
  .prefix('/api/v1')
  .as('api.v1')
  .use([middleware.api(), middleware.auth({ guards: ['api'] }), middleware.apiWrite()])
