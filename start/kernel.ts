/*
|--------------------------------------------------------------------------
| HTTP kernel
|--------------------------------------------------------------------------
*/

import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

server.use([
  () => import('#middleware/http_metrics_middleware'),
  () => import('#middleware/request_log_middleware'),
  () => import('#middleware/container_bindings_middleware'),
  () => import('#middleware/security_headers_middleware'),
  () => import('#middleware/public_files_middleware'),
])

router.use([
  () => import('#middleware/body_parser_middleware'),
  () => import('#middleware/browser_middleware'),
  () => import('#middleware/initialize_auth_middleware'),
  () => import('#middleware/initialize_bouncer_middleware'),
])

export const middleware = router.named({
  auth: () => import('#middleware/auth_middleware'),
  guest: () => import('#middleware/guest_middleware'),
  keepFlash: () => import('#middleware/keep_flash_middleware'),
  api: () => import('#middleware/api_middleware'),
  apiWrite: () => import('#middleware/api_write_middleware'),
  apiThrottle: () => import('#middleware/api_throttle_middleware'),
  apiInput: () => import('#middleware/api_input_middleware'),
  apiV3: () => import('#middleware/api_v3_middleware'),
  metricsAuth: () => import('#middleware/metrics_auth_middleware'),
  project: () => import('#middleware/project_middleware'),
})
