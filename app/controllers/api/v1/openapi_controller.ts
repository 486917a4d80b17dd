import type { HttpContext } from '@adonisjs/core/http'
import { appUrl } from '#config/app'
import { openApiDocument } from '#services/openapi/document'

export default class OpenapiController {
  async show() {
    return openApiDocument(appUrl)
  }

  /**
   * A reference page rendered by the app from the same document (no CDN).
   */
  async reference({ view }: HttpContext) {
    return view.render('pages/api_reference', { doc: openApiDocument(appUrl) })
  }
}
