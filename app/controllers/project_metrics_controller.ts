import type { HttpContext } from '@adonisjs/core/http'
import ProjectService from '#services/projects/project_service'
import { isReadOnlyKeyOf, projectMetrics } from '#services/projects/project_metrics'

/**
 * `/projects/<uuid>/metrics/<read-only key>`, as healthchecks serves it: an unknown Project
 * is 404; a key that is not a read-only key of this Project (another Project's, a
 * read-write one) is 403.
 */
export default class ProjectMetricsController {
  async show({ params, response }: HttpContext) {
    const project = await ProjectService.findByUuid(String(params.uuid))
    if (!project) {
      return response.notFound('not found')
    }
    if (!(await isReadOnlyKeyOf(project, String(params.key)))) {
      return response.forbidden('forbidden')
    }
    response.header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
    return response.send(await projectMetrics(project))
  }
}
