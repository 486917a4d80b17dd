import { test } from '@japa/runner'
import { renderJsonTemplate, renderTemplate } from '#services/alerts/template'
import { headerValue } from '#services/alerts/header_value'
import { decodeEncodedWords } from '#tests/helpers/mime'
import type { AlertMessage } from '#services/alerts/message'

const message: AlertMessage = {
  uuid: '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60',
  name: 'db "dump"',
  slug: 'db-dump',
  tags: ['prod', 'db'],
  desc: '',
  pingUrl: 'http://127.0.0.1:3334/ping/0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60',
  status: 'down',
  oldStatus: 'up',
  reason: 'timeout',
  at: new Date('2026-01-01T00:00:00Z'),
  body: 'line1\nline2',
  exitStatus: 2,
  silencedChildren: [],
  test: false,
}

test.group('Notification templates', () => {
  test('fills every placeholder', ({ assert }) => {
    assert.equal(
      renderTemplate(
        '$NAME/$SLUG/$STATUS/$OLD_STATUS/$REASON/$NOW/$TAGS/$EXIT_STATUS/$UUID',
        message
      ),
      'db "dump"/db-dump/down/up/timeout/2026-01-01T00:00:00.000Z/prod db/2/0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60'
    )
  })

  test('escapes for JSON strings and URLs', ({ assert }) => {
    assert.equal(
      renderTemplate('{"n":"$NAME","b":"$BODY"}', message, 'json'),
      '{"n":"db \\"dump\\"","b":"line1\\nline2"}'
    )
    assert.equal(
      renderTemplate('https://x.test/?n=$NAME', message, 'url'),
      'https://x.test/?n=db%20%22dump%22'
    )
  })

  test('leaves unknown dollar words alone', ({ assert }) => {
    assert.equal(renderTemplate('costs $5 and $UNKNOWN', message), 'costs $5 and $UNKNOWN')
  })

  test('recognises a JSON template and escapes each value for its place', ({ assert }) => {
    const named = { ...message, name: 'a "q" \\ b\n🚀' }
    const filled = renderJsonTemplate(
      '{"t": "$NAME went $STATUS", "n": $NAME, "e": "say \\"$SLUG\\"", "l": [$EXIT_STATUS]}',
      named
    )
    assert.deepEqual(JSON.parse(filled!), {
      t: `${named.name} went down`,
      n: named.name,
      e: 'say "db-dump"',
      l: ['2'],
    })
    assert.deepEqual(JSON.parse(renderJsonTemplate(' [ "$BODY" ] ', named)!), ['line1\nline2'])
  })

  test('a template that is no JSON object or array once filled is not JSON', ({ assert }) => {
    for (const template of ['$NAME is $STATUS', '$BODY', '"$NAME"', '{"a": $NAME $STATUS}', '{']) {
      assert.isNull(renderJsonTemplate(template, message), template)
    }
  })

  test('a header value outside printable ASCII goes as RFC 2047 words, never failing', ({
    assert,
  }) => {
    assert.equal(headerValue('Bearer abc\tdef'), 'Bearer abc\tdef')
    for (const value of ['Бэкап базы данных '.repeat(8), '🚀'.repeat(40), 'two\nlines', 'café']) {
      const encoded = headerValue(value)
      assert.match(encoded, /^[\x20-\x7e]+$/)
      for (const word of encoded.split(' ')) {
        assert.isAtMost(word.length, 75)
      }
      assert.equal(decodeEncodedWords(encoded), value)
    }
    assert.equal(decodeEncodedWords(headerValue('lone \ud800')), 'lone \ufffd')
  })
})
