import type { ApplicationService } from '@adonisjs/core/types'
import { HttpContext } from '@adonisjs/core/http'
import { BaseSerializer } from '@adonisjs/core/transformers'

/**
 * Success bodies of the REST API are `{ data, meta? }`; errors are made by
 * the exception handler as `{ errors: [...] }`. The body leaves as a JSON
 * string made by the native JSON.stringify: API data holds no BigInt or
 * cycles, so the framework's safe (and slower) stringify is not needed.
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
    serialize(resource: unknown, meta?: Record<string, unknown>): Promise<string>
    /** The same body around `data` that is JSON already */
    serializeJson(dataJson: string, meta?: Record<string, unknown>): string
  }
}

export default class ApiProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    HttpContext.instanceProperty(
      'serialize',
      async function (this: HttpContext, resource: unknown, meta?: Record<string, unknown>) {
        const data = await serializer.serializeWithoutWrapping(resource, this.containerResolver)
        return this.serializeJson(JSON.stringify(data), meta)
      }
    )
    HttpContext.instanceProperty(
      'serializeJson',
      function (this: HttpContext, dataJson: string, meta?: Record<string, unknown>) {
        this.response.header('content-type', 'application/json; charset=utf-8')
        return meta ? `{"data":${dataJson},"meta":${JSON.stringify(meta)}}` : `{"data":${dataJson}}`
      }
    )
  }
}
