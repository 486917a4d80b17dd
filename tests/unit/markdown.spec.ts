import { test } from '@japa/runner'
import { inlineMarkdown, markdown } from '#services/support/markdown'
import { limitsOf, typeText } from '#services/api_docs/schema_text'

test.group('Markdown of the API reference', () => {
  test('renders code spans, emphasis, links, paragraphs and lists', ({ assert }) => {
    assert.equal(
      inlineMarkdown('Send `Authorization: Bearer <key>`, **always**, *once*: [docs](/docs/api)'),
      'Send <code>Authorization: Bearer &lt;key&gt;</code>, <strong>always</strong>, ' +
        '<em>once</em>: <a href="/docs/api">docs</a>'
    )
    assert.equal(
      markdown('One\nline.\n\n- a `b`\n- c'),
      '<p>One line.</p>\n<ul><li>a <code>b</code></li><li>c</li></ul>'
    )
    assert.equal(inlineMarkdown('cron * * * * * stays'), 'cron * * * * * stays')
  })

  test('lets no HTML and no script link through', ({ assert }) => {
    assert.equal(
      markdown('<script>alert(1)</script> & "quotes"'),
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;</p>'
    )
    assert.equal(inlineMarkdown('[x](javascript:alert(1))'), '[x](javascript:alert(1))')
    assert.equal(inlineMarkdown('[x](//evil.example)'), '[x](//evil.example)')
    assert.equal(
      inlineMarkdown('[x](https://e.example/?a=1&b="2")'),
      '<a href="https://e.example/?a=1&amp;b=&quot;2&quot;">x</a>'
    )
  })

  test('words nullable types and limits', ({ assert }) => {
    const slug = {
      oneOf: [{ type: 'string', maxLength: 100, pattern: '^[a-z]+$' }, { type: 'null' }],
    }
    assert.equal(typeText(slug), 'string or null')
    assert.equal(
      typeText({ oneOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] }),
      'string (date-time) or null'
    )
    assert.deepEqual(limitsOf(slug), ['at most 100 characters', 'matches `^[a-z]+$`'])
    assert.deepEqual(
      limitsOf({ type: 'array', items: { type: 'string', maxLength: 50 }, maxItems: 20 }),
      ['at most 20 items', 'each at most 50 characters']
    )
    assert.deepEqual(limitsOf({ type: 'integer', minimum: 1, maximum: 100, default: 50 }), [
      '1 to 100',
      'default `50`',
    ])
  })
})
