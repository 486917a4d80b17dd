import type { HttpContext } from '@adonisjs/core/http'
import config from '@adonisjs/core/services/config'
import { appUrl } from '#config/app'
import { openApiDocument } from '#services/api_docs/document'
import { apiReference } from '#services/api_docs/reference'

function document() {
  return openApiDocument(appUrl, { rateLimit: config.get<number>('ngip.apiRateLimit') })
}

export default class OpenapiController {
  async show() {
    return document()
  }

  /**
   * A reference page rendered by the app from the same document (no CDN).
   * Public; a signed-in visitor still sees the navigation.
   */
  async reference({ view, auth }: HttpContext) {
    await auth.check()
    return view.render('pages/api_reference', { api: apiReference(document()) })
  }
}
