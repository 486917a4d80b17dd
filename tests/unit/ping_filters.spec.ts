import { test } from '@japa/runner'
import { tokenState } from '#tests/helpers/token_state'
import { recordPing } from '#models/token_state'
import { filteredAction, keywords, type PingFilters } from '#models/ping_filters'

const none: PingFilters = {
  methods: '',
  filterSubject: false,
  filterBody: false,
  startKw: '',
  successKw: '',
  failureKw: '',
}
const byBody = { ...none, filterBody: true, failureKw: 'error, FATAL', successKw: '' }
const at = new Date('2026-01-01T00:00:00Z')

test.group('Ping filters: keywords', () => {
  test('keywords are comma-separated, trimmed and lowercased', ({ assert }) => {
    assert.deepEqual(keywords(' Error , fatal,, '), ['error', 'fatal'])
    assert.deepEqual(keywords(''), [])
  })

  test('a success whose body holds a failure keyword, in any case, counts as a fail', ({
    assert,
  }) => {
    const ping = (body: string) => filteredAction(byBody, { action: 'success', body })
    assert.equal(ping('backup finished with an ERROR on disk 2'), 'fail')
    assert.equal(ping('Fatal: out of space'), 'fail')
    assert.equal(ping('backup finished'), 'success')
    assert.equal(filteredAction(byBody, { action: 'success', body: Buffer.from('error') }), 'fail')
  })

  test('failure first, then success, then start; none found is ignored when success keywords are set', ({
    assert,
  }) => {
    const filters = { ...byBody, successKw: 'done', startKw: 'begin' }
    const ping = (body: string) => filteredAction(filters, { action: 'success', body })
    assert.equal(ping('begin ... done ... error'), 'fail')
    assert.equal(ping('begin ... done'), 'success')
    assert.equal(ping('begin'), 'start')
    assert.equal(ping('nothing to say'), 'ign')
  })

  test('the body is read only with filter_body; the subject only with filter_subject', ({
    assert,
  }) => {
    const off = { ...byBody, filterBody: false }
    assert.equal(filteredAction(off, { action: 'success', body: 'error' }), 'success')
    const subject = { ...byBody, filterBody: false, filterSubject: true }
    assert.equal(filteredAction(subject, { action: 'success', body: 'error' }), 'success')
    assert.equal(
      filteredAction(subject, { action: 'success', body: '', subject: 'Backup ERROR' }),
      'fail'
    )
  })

  test('pings that name their kind keep it', ({ assert }) => {
    for (const action of ['start', 'fail', 'log'] as const) {
      assert.equal(filteredAction(byBody, { action, body: 'error' }), action)
    }
  })
})

test.group('Ping filters: methods', () => {
  test('with methods POST only a POST counts; GET and HEAD are ignored', ({ assert }) => {
    const post = { ...none, methods: 'POST' }
    assert.equal(filteredAction(post, { action: 'success', method: 'POST' }), 'success')
    assert.equal(filteredAction(post, { action: 'success', method: 'GET' }), 'ign')
    assert.equal(filteredAction(post, { action: 'fail', method: 'HEAD' }), 'ign')
    assert.equal(filteredAction(none, { action: 'success', method: 'GET' }), 'success')
    // a Ping recorded through the API has no HTTP method to filter on
    assert.equal(filteredAction(post, { action: 'success' }), 'success')
  })

  test('an ignored ping is counted and stored as ign, and changes nothing else', ({ assert }) => {
    const token = tokenState({ methods: 'POST' })
    const outcome = recordPing(token, { action: 'fail', at, rid: null, method: 'GET' })
    assert.deepEqual(outcome, { kind: 'ign', durationMs: null, flip: null })
    assert.equal(token.nPings, 1)
    assert.equal(token.status, 'new')
    assert.isNull(token.lastPingAt)
    assert.equal(token.consecutiveFails, 0)
  })

  test('recordPing applies the keywords: a success with a failure keyword takes the Token down', ({
    assert,
  }) => {
    const token = tokenState({ ...byBody })
    const outcome = recordPing(token, { action: 'success', at, rid: null, body: 'ERROR' })
    assert.equal(outcome.kind, 'fail')
    assert.equal(token.status, 'down')
  })
})

test.group('Ping filters: email pings', () => {
  const mail = (subject: string, text: string) => ({
    action: 'success' as const,
    method: 'EMAIL',
    body: `Subject: ${subject}\r\n\r\n${text}`,
  })

  test('an email ping is read as its subject and its text apart', ({ assert }) => {
    const subjectOnly = { ...none, filterSubject: true, failureKw: 'failed' }
    const bodyOnly = { ...none, filterBody: true, failureKw: 'failed' }
    assert.equal(filteredAction(subjectOnly, mail('Backup FAILED', 'ok')), 'fail')
    assert.equal(filteredAction(subjectOnly, mail('Backup report', '3 FAILED')), 'success')
    assert.equal(filteredAction(bodyOnly, mail('Backup report', '3 FAILED')), 'fail')
    // the "Subject:" line is not part of the text the body filter reads
    assert.equal(filteredAction(bodyOnly, mail('FAILED', 'all good')), 'success')
  })

  test('the method filter is about HTTP: a POST-only Token takes email pings', ({ assert }) => {
    const postOnly = { ...none, methods: 'POST' }
    assert.equal(filteredAction(postOnly, mail('Backup', 'done')), 'success')
    assert.equal(filteredAction(postOnly, { action: 'success', method: 'GET' }), 'ign')
  })
})
