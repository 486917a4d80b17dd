import { test } from '@japa/runner'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const VIEWS = join(import.meta.dirname, '../../resources/views')
/** Edge's block tags: Edge reads one only at the start of a line; anywhere else it is printed. */
const TAG = /(^|[^\w@.])@(if|elseif|else|end|each|let|include|component|slot|unless)\b/

function edgeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? edgeFiles(path) : entry.name.endsWith('.edge') ? [path] : []
  })
}

/** Lines where a tag follows other text: Edge would print it, not read it. */
export function inlineTags(source: string) {
  return source
    .split('\n')
    .map((line, index) => ({ line: index + 1, text: line }))
    .filter(({ text }) => !/^\s*@/.test(text) && TAG.test(text))
}

test.group('Views: Edge tags', () => {
  test('a tag after other text on its line is found', ({ assert }) => {
    assert.lengthOf(inlineTags('<td>{{ a }}@if(b) x@end</td>'), 1)
    assert.lengthOf(inlineTags('  @if(b)\n    x\n  @end'), 0)
    assert.lengthOf(inlineTags('<a href="mailto:ops@example.com">'), 0)
    assert.lengthOf(inlineTags('<button @click="open = true">'), 0)
  })

  test('every block tag in resources/views starts its line', ({ assert }) => {
    const found = edgeFiles(VIEWS).flatMap((file) =>
      inlineTags(readFileSync(file, 'utf8')).map(
        ({ line, text }) => `${relative(VIEWS, file)}:${line}: ${text.trim()}`
      )
    )
    assert.deepEqual(found, [])
  })
})
