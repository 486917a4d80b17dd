import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

const root = new URL('../../', import.meta.url)
const read = (file: string) => readFileSync(new URL(file, root), 'utf8')

test.group('Toolchain', () => {
  test('pnpm checks engines against the Node the repository brings', ({ assert }) => {
    const pkg = JSON.parse(read('package.json'))
    const workspace = parse(read('pnpm-workspace.yaml'))
    assert.equal(workspace.nodeVersion, pkg.devDependencies.node)
    assert.equal(process.versions.node, pkg.devDependencies.node)
  })
})
