import { test } from '@japa/runner'
import { extract } from 'tar-stream'
import { contextFiles, packContext } from '../../pipelines/lib/build_context.ts'
import { root } from './helpers/pipeline.ts'

test.group('the image build context', () => {
  test('holds what .dockerignore allows and nothing else', async ({ assert }) => {
    const files = await contextFiles(root, { dockerignore: true, always: ['docker/Dockerfile'] })
    for (const wanted of [
      'package.json',
      'pnpm-lock.yaml',
      'ace.js',
      'bin/server.ts',
      'ping/main.ts',
      'docker/Dockerfile',
      'docker/entrypoint.sh',
    ]) {
      assert.include(files, wanted)
    }
    const leaked = files.filter((file) =>
      /^(node_modules|infra|pipelines|tests|build|\.git|\.env|\.adonisjs|storage|tmp)(\/|$)|^bin\/test\.ts$/.test(
        file
      )
    )
    assert.deepEqual(leaked, [])
  })

  test('streams as a tar with replaced files carrying their new content', async ({ assert }) => {
    const tar = await packContext(root, {
      dockerignore: true,
      replace: { 'docker/build-ca.pem': 'EXTRA CA\n' },
    })
    const seen = new Map<string, string>()
    const reader = extract()
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk) => chunks.push(chunk as Buffer))
      stream.on('end', () => {
        seen.set(header.name, Buffer.concat(chunks).toString())
        next()
      })
    })
    tar.pipe(reader)
    await new Promise<void>((resolve) => reader.on('finish', () => resolve()))
    assert.equal(seen.get('docker/build-ca.pem'), 'EXTRA CA\n')
    assert.include(seen.get('package.json'), '"name": "ngip"')
  })
})
