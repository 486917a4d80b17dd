import type { ApplicationService } from '@adonisjs/core/types'
import { HttpContext } from '@adonisjs/core/http'
import { BaseSerializer } from '@adonisjs/core/transformers'

/**
 * Success bodies of the REST API are `{ data, meta? }`; errors are made by
 * the exception handler as `{ errors: [...] }`.
 */
class ApiSerializer extends BaseSerializer<{ Wrap: 'data' }> {
  wrap: 'data' = 'data'

  definePaginationMetaData(metaData: unknown) {
    return metaData as Record<string, unknown>
  }
}

const serializer = new ApiSerializer()

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    serialize(resource: unknown, meta?: Record<string, unknown>): Promise<{ data: any; meta?: any }>
  }
}

export default class ApiProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    HttpContext.instanceProperty(
      'serialize',
      async function (this: HttpContext, resource: unknown, meta?: Record<string, unknown>) {
        const data = await serializer.serializeWithoutWrapping(resource, this.containerResolver)
        return meta ? { data, meta } : { data }
      }
    )
  }
}
