import type { HttpContext } from '@adonisjs/core/http'
import UserService from '#services/accounts/user_service'
import { fieldError } from '#validators/field_error'
import { changePasswordValidator, reportSettingsValidator, userMessages } from '#validators/user'
import { saveReportSettings } from '#services/accounts/report_settings'
import { REPORT_PERIODS } from '#models/report_schedule'

export default class AccountController {
  async show({ view }: HttpContext) {
    return view.render('pages/account/show', { reportPeriods: REPORT_PERIODS })
  }

  async report({ auth, request, response, session }: HttpContext) {
    const input = await request.validateUsing(reportSettingsValidator, {
      messagesProvider: userMessages,
    })
    const user = await saveReportSettings(auth.getUserOrFail(), {
      period: input.report_period,
      hour: input.report_hour,
      tz: input.report_tz,
    })
    session.flash(
      'success',
      user.reportNextAt ? 'Email report saved' : 'Email report off: none will be sent'
    )
    return response.redirect().toRoute('account.show')
  }

  async regeneratePingKey({ auth, response, session }: HttpContext) {
    await UserService.regeneratePingKey(auth.getUserOrFail())
    session.flash(
      'success',
      'New ping key made: slug ping URLs with the old key no longer work; update your scripts'
    )
    return response.redirect().toRoute('account.show')
  }

  /**
   * Errors are flashed without the input: passwords never go to the session.
   */
  async update({ auth, request, response, session }: HttpContext) {
    const [invalid, input] = await changePasswordValidator.tryValidate(request.all(), {
      messagesProvider: userMessages,
    })
    const changed =
      input &&
      (await UserService.changePassword(
        auth.getUserOrFail(),
        input.current_password,
        input.password
      ))
    if (!changed) {
      const error =
        invalid ?? fieldError('current_password', 'The current password is wrong', 'password')
      session.flashValidationErrors(error, false)
    } else {
      session.flash('success', 'Password changed')
    }
    return response.redirect().toRoute('account.show')
  }
}
