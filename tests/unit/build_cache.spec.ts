import { test } from '@japa/runner'
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ensureBuild } from '../../bin/build_cache.ts'

/**
 * `pnpm start`'s build cache on a checkout of its own, with a stand-in for
 * `node ace build` that counts its runs (the real one runs in the supervisor's tests).
 */
function checkout() {
  const root = mkdtempSync(join(tmpdir(), 'ngip-build-cache-'))
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  write('package.json', '{"name":"x"}')
  write('pnpm-lock.yaml', 'lockfileVersion: 9')
  write('app/services/a.ts', 'export const a = 1')
  write('resources/views/page.edge', '<p>hi</p>')
  write('tests/unit/a.spec.ts', '// a test')
  const lines: string[] = []
  let builds = 0
  const start = async () => {
    lines.length = 0
    await ensureBuild(
      root,
      (line) => lines.push(line),
      async () => {
        builds++
        rmSync(join(root, 'build'), { recursive: true, force: true })
        mkdirSync(join(root, 'build'))
      }
    )
    return { builds, said: lines.join('\n') }
  }
  return { root, write, start, remove: () => rmSync(root, { recursive: true, force: true }) }
}

test.group('Build cache (pnpm start)', () => {
  test('builds once, then reuses the build while nothing it is made from changed', async ({
    assert,
  }) => {
    const repo = checkout()
    try {
      const first = await repo.start()
      assert.equal(first.builds, 1)
      assert.match(first.said, /^ngip: building… \(no build yet\)$/m)
      assert.match(first.said, /^ngip: built in [\d.]+ s$/m)

      const second = await repo.start()
      assert.equal(second.builds, 1)
      assert.match(second.said, /^ngip: reusing build from \d{4}-\d\d-\d\dT[\d:.]+Z$/)

      // Tests are not part of the build.
      repo.write('tests/unit/a.spec.ts', '// another test')
      const unchanged = await repo.start()
      assert.equal(unchanged.builds, 1)
      // The build's storage/ is the checkout's, kept across rebuilds.
      assert.equal(readlinkSync(join(repo.root, 'build/storage')), '../storage')
    } finally {
      repo.remove()
    }
  })

  test('rebuilds when a source, a view, the lockfile or a new file changes, naming it', async ({
    assert,
  }) => {
    const repo = checkout()
    try {
      await repo.start()
      repo.write('app/services/a.ts', 'export const a = 2')
      let run = await repo.start()
      assert.equal(run.builds, 2)
      assert.match(run.said, /^ngip: building… \(app\/services\/a\.ts changed\)$/m)

      repo.write('resources/views/page.edge', '<p>hello</p>')
      repo.write('pnpm-lock.yaml', 'lockfileVersion: 10')
      repo.write('config/new.ts', 'export default {}')
      run = await repo.start()
      assert.equal(run.builds, 3)
      assert.match(run.said, /config\/new\.ts added/)
      assert.match(run.said, /pnpm-lock\.yaml changed/)
      assert.match(run.said, /resources\/views\/page\.edge changed/)

      rmSync(join(repo.root, 'config/new.ts'))
      run = await repo.start()
      assert.equal(run.builds, 4)
      assert.match(run.said, /config\/new\.ts removed/)
      const again = await repo.start()
      assert.equal(again.builds, 4)
    } finally {
      repo.remove()
    }
  })

  test('a build that failed is not reused', async ({ assert }) => {
    const repo = checkout()
    try {
      await assert.rejects(() =>
        ensureBuild(
          repo.root,
          () => {},
          async () => {
            mkdirSync(join(repo.root, 'build'), { recursive: true })
            throw new Error('tsc crashed')
          }
        )
      )
      const after = await repo.start()
      assert.equal(after.builds, 1)
    } finally {
      repo.remove()
    }
  })
})
