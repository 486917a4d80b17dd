/*
|--------------------------------------------------------------------------
| Edge globals of the admin UI
|--------------------------------------------------------------------------
*/

import edge from 'edge.js'
import {
  ago,
  crontabSchedule,
  duration,
  exactTime,
  failCount,
  period,
  pingFilters,
  runRules,
  schedule,
  scriptJson,
  softBreaks,
} from '#services/support/ui_format'
import { pingUrlOf, pingEmailOf } from '#transformers/token_transformer'
import { formatHeaders } from '#validators/channel_form'
import { PASSWORD_MIN_LENGTH, PASSWORD_RULE } from '#validators/rules'

edge.global('ago', ago)
edge.global('exactTime', exactTime)
edge.global('duration', duration)
edge.global('period', period)
edge.global('runRules', runRules)
edge.global('pingFilters', pingFilters)
edge.global('failCount', failCount)
edge.global('schedule', schedule)
edge.global('scriptJson', scriptJson)
edge.global('softBreaks', softBreaks)
edge.global('crontabSchedule', crontabSchedule)
edge.global('pingUrl', pingUrlOf)
// The Token's email ping address, or null while email pings are off.
edge.global('pingEmail', pingEmailOf)
edge.global('timeZones', ['UTC', ...Intl.supportedValuesOf('timeZone')])
edge.global('formatHeaders', formatHeaders)
edge.global('passwordMinLength', PASSWORD_MIN_LENGTH)
edge.global('passwordRule', PASSWORD_RULE)
