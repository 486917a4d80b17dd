import { test } from '@japa/runner'
import { tokenFormInput, tokenFormValues, periodFields } from '#validators/token_form'
import { channelFormInput, formatHeaders, parseHeaders } from '#validators/channel_form'
import { chartSeries } from '#services/tokens/token_activity'
import { failCount, runRules, softBreaks } from '#services/support/ui_format'
import { previewSchedule } from '#services/tokens/schedule_preview'

test.group('Admin UI forms', () => {
  test('a Token form becomes the REST API shape, periods in seconds', ({ assert }) => {
    const input = tokenFormInput({
      name: 'backup',
      slug: null,
      tags: 'prod db',
      desc: null,
      kind: 'simple',
      timeout: '1.5',
      timeout_unit: 'hours',
      grace: '10',
      grace_unit: 'minutes',
      schedule: '0 3 * * *',
      manual_resume: 'on',
    })
    assert.deepEqual(input, {
      name: 'backup',
      slug: null,
      tags: 'prod db',
      desc: '',
      kind: 'simple',
      grace: 600,
      manual_resume: true,
      channels: [],
      maintenance_schedule: null,
      maintenance_minutes: 0,
      maintenance_tz: 'UTC',
      depends_on: [],
      max_runtime: null,
      min_interval: null,
      min_duration: null,
      fail_threshold: 1,
      methods: '',
      filter_subject: false,
      filter_body: false,
      start_kw: '',
      success_kw: '',
      failure_kw: '',
      timeout: 5400,
    })
    const cron = tokenFormInput({ name: 'x', kind: 'cron', grace: null, channels: 'a' })
    assert.containSubset(cron, { schedule: '', tz: 'UTC', grace: '', channels: ['a'] })
    assert.notProperty(cron, 'timeout')
    const calendar = tokenFormInput({ name: 'x', kind: 'oncalendar', schedule: 'daily' })
    assert.containSubset(calendar, { kind: 'oncalendar', schedule: 'daily', tz: 'UTC' })
  })

  test('a Token form posts its filters as the API takes them', ({ assert }) => {
    const input = tokenFormInput({
      name: 'x',
      kind: 'simple',
      methods: 'POST',
      filter_body: 'on',
      failure_kw: 'error, fatal',
    })
    assert.containSubset(input, {
      methods: 'POST',
      filter_body: true,
      filter_subject: false,
      failure_kw: 'error, fatal',
      success_kw: '',
    })
    assert.equal(tokenFormInput({ name: 'x', methods: 'PUT' }).methods, '')
  })

  test('run rules: an empty field turns the rule off, units become seconds', ({ assert }) => {
    const input = tokenFormInput({
      name: 'x',
      kind: 'simple',
      max_runtime: '30',
      max_runtime_unit: 'minutes',
      min_interval: '',
      min_duration: '45',
      min_duration_unit: 'seconds',
      fail_threshold: '3',
    })
    assert.containSubset(input, {
      max_runtime: 1800,
      min_interval: null,
      min_duration: 45,
      fail_threshold: 3,
    })
    const values = tokenFormValues({
      name: 'x',
      slug: null,
      tags: [],
      desc: '',
      kind: 'simple',
      timeout: 3600,
      grace: 60,
      schedule: '* * * * *',
      tz: 'UTC',
      manualResume: false,
      maxRuntime: 5400,
      minInterval: null,
      minDuration: 45,
      failThreshold: 3,
    })
    assert.containSubset(values, {
      max_runtime: 90,
      max_runtime_unit: 'minutes',
      min_interval: '',
      min_duration: 45,
      min_duration_unit: 'seconds',
      fail_threshold: 3,
    })
  })

  test('run rules and the failure count read as one line', ({ assert }) => {
    assert.equal(
      runRules({ maxRuntime: 1800, minInterval: null, minDuration: 45 }),
      'runs at most 30 min, runs last at least 45 s'
    )
    assert.equal(failCount({ consecutiveFails: 2, failThreshold: 3 }), '2 of 3 failures')
    assert.equal(
      failCount({ consecutiveFails: 4, failThreshold: 3 }),
      '4 failures in a row (down at 3)'
    )
    assert.equal(failCount({ consecutiveFails: 1, failThreshold: 1 }), '1 failure in a row')
  })

  test('a period is shown in the largest unit that divides it', ({ assert }) => {
    assert.deepEqual(periodFields(172_800), { amount: 2, unit: 'days' })
    assert.deepEqual(periodFields(7200), { amount: 2, unit: 'hours' })
    assert.deepEqual(periodFields(5400), { amount: 90, unit: 'minutes' })
  })

  test('the Token form shows what was posted when it comes back with errors', ({ assert }) => {
    const token = {
      name: 'a',
      slug: null,
      tags: ['x'],
      desc: '',
      kind: 'simple',
      timeout: 3600,
      grace: 60,
      schedule: '* * * * *',
      tz: 'UTC',
      manualResume: true,
      channels: [{ id: 'c1' }],
    }
    assert.containSubset(tokenFormValues(token), {
      tags: 'x',
      timeout: 1,
      timeout_unit: 'hours',
      manual_resume: true,
      channels: ['c1'],
    })
    const posted = tokenFormValues(token, { kind: 'cron', name: 'b', schedule: '61 * * *' })
    assert.containSubset(posted, {
      name: 'b',
      kind: 'cron',
      schedule: '61 * * *',
      manual_resume: false,
      channels: [],
    })
  })

  test('a Channel form keeps the fields of its kind and parses headers', ({ assert }) => {
    assert.deepEqual(parseHeaders('Authorization: Bearer a:b\n\nX-Team:  ops '), {
      'Authorization': 'Bearer a:b',
      'X-Team': 'ops',
    })
    assert.throws(() => parseHeaders('no colon here'))
    assert.equal(formatHeaders({ A: '1', B: '2' }), 'A: 1\nB: 2')
    const email = channelFormInput({
      kind: 'email',
      name: 'On-call',
      config: { url: 'https://x', to: 'a@example.com', method: 'POST', headers: 'A: 1' },
    })
    assert.deepEqual(email, {
      kind: 'email',
      name: 'On-call',
      config: { to: 'a@example.com' },
    })
    const hook = channelFormInput({ name: 'h', config: { url: 'https://x', body: '' } }, 'webhook')
    assert.deepEqual(hook.config, { url: 'https://x' })
  })

  test('chart data splits pings by kind into buckets and keeps run durations', ({ assert }) => {
    const hour = 3_600_000
    const start = Date.UTC(2025, 5, 1)
    const series = chartSeries([
      { at: start, kind: 'start', durationMs: null },
      { at: start + 60_000, kind: 'success', durationMs: 60_000 },
      { at: start + 5 * hour, kind: 'fail', durationMs: null },
      { at: start + 30 * hour, kind: 'success', durationMs: 1500 },
    ])
    assert.equal(series.step, 3600)
    assert.deepEqual(series.durations, [
      [(start + 60_000) / 1000, (start + 30 * hour) / 1000],
      [60, 1.5],
    ])
    const [x, success, fail, other] = series.counts
    assert.lengthOf(x, 31)
    assert.equal(x[0], start / 1000)
    assert.deepEqual([success[0], fail[0], other[0]], [1, 0, 1])
    assert.equal(fail[5], 1)
    assert.equal(success[30], 1)
    assert.deepEqual(chartSeries([]).counts, [[], [], [], []])
  })

  test('chart axes of pings within one minute span minutes, not a guess', ({ assert }) => {
    const start = Date.UTC(2026, 10, 30, 10, 0, 5)
    const series = chartSeries([
      { at: start, kind: 'start', durationMs: null },
      { at: start + 20_000, kind: 'success', durationMs: 20_000 },
    ])
    assert.equal(series.step, 60)
    const minute = Date.UTC(2026, 10, 30, 10, 0) / 1000
    assert.deepEqual(series.ranges!.counts, [minute - 30, minute + 30])
    assert.deepEqual(series.ranges!.durations, [start / 1000 + 20 - 30, start / 1000 + 20 + 30])
    assert.isNull(chartSeries([]).ranges)
  })

  test('emails and URLs may wrap only between their parts, escaped', ({ assert }) => {
    assert.equal(softBreaks('ops.team@example.com'), 'ops<wbr>.team<wbr>@example<wbr>.com')
    assert.equal(
      softBreaks('https://h/ping/k/s?a=1&b=<2>'),
      'https://<wbr>h/<wbr>ping/<wbr>k/<wbr>s?<wbr>a=1&amp;<wbr>b=&lt;2&gt;'
    )
  })

  test('previews cron runs in the schedule’s time zone', ({ assert }) => {
    const from = new Date('2024-12-31T12:00:00Z')
    const preview = previewSchedule('cron', '0 9 * * *', 'Asia/Tokyo', 3, from)
    assert.deepEqual(preview, {
      ok: true,
      runs: [
        'Wed 1 Jan 2025, 09:00 GMT+9',
        'Thu 2 Jan 2025, 09:00 GMT+9',
        'Fri 3 Jan 2025, 09:00 GMT+9',
      ],
    })
    assert.deepEqual(previewSchedule('cron', '0 9 * *', 'UTC'), {
      ok: false,
      error: 'The cron expression must be a valid 5-field cron expression',
    })
    assert.deepEqual(previewSchedule('cron', '0 0 31 2 *', 'UTC'), {
      ok: false,
      error: 'The cron expression never fires: no month it names has that day (such as 0 0 31 2 *)',
    })
  })

  test('previews OnCalendar runs in the schedule’s time zone, and says why one is refused', ({
    assert,
  }) => {
    const from = new Date('2024-12-31T12:00:00Z')
    assert.deepEqual(previewSchedule('oncalendar', 'Mon..Fri 09:30', 'Europe/Paris', 3, from), {
      ok: true,
      runs: [
        'Wed 1 Jan 2025, 09:30 GMT+1',
        'Thu 2 Jan 2025, 09:30 GMT+1',
        'Fri 3 Jan 2025, 09:30 GMT+1',
      ],
    })
    const refused = previewSchedule('oncalendar', 'Mon..Fri 25:00', 'UTC', 3, from)
    assert.isFalse(refused.ok)
    assert.match(!refused.ok ? refused.error : '', /^The OnCalendar expression is not a valid/)
    assert.deepEqual(previewSchedule('oncalendar', '2020-01-01 00:00', 'UTC', 3, from), {
      ok: false,
      error: 'The OnCalendar expression never fires again: its last date is past',
    })
  })
})
