import type { HttpContext } from '@adonisjs/core/http'
import ReportTransformer from '#transformers/report_transformer'
import { accountReportValidator } from '#validators/user'
import { saveReportSettings } from '#services/accounts/report_settings'

/**
 * The API key's own User: their email report settings.
 */
export default class AccountController {
  async showReport({ auth, serialize }: HttpContext) {
    return serialize(ReportTransformer.transform(auth.getUserOrFail()))
  }

  async updateReport({ auth, request, serialize }: HttpContext) {
    const input = await request.validateUsing(accountReportValidator)
    const user = await saveReportSettings(auth.getUserOrFail(), input)
    return serialize(ReportTransformer.transform(user))
  }
}
