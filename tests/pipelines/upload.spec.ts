import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { realTools } from '../../pipelines/lib/tools.ts'
import { upload } from '../../pipelines/steps/upload.ts'
import { capturedLog, pipelineConfig, root } from './helpers/pipeline.ts'
import { startS3 } from './helpers/services.ts'

async function objectBytes(s3: S3Client, bucket: string, key: string) {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  return Buffer.from(await object.Body!.transformToByteArray())
}

test.group('upload to S3 (s3rver, a real S3 HTTP API)', (group) => {
  let s3: Awaited<ReturnType<typeof startS3>>
  group.setup(async () => {
    s3 = await startS3(['ngip-static', 'ngip-artifacts'])
    return () => s3.stop()
  })

  test('puts the static files and the zipped Lambda bundle of the ping edge', async ({
    assert,
  }) => {
    const config = pipelineConfig(['upload'], { NGIP_S3_ENDPOINT: s3.endpoint })
    config.aws.s3Credentials = s3.credentials
    const { log } = capturedLog()
    const outDir = join(config.image.workDir, 'lambda-test')
    const result = await upload(realTools(config, log), {
      root,
      tag: 'abc123',
      ...config.upload,
      outDir,
    })

    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: s3.credentials,
    })
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'ngip-static' }))
    assert.sameMembers(
      listed.Contents!.map((object) => object.Key!),
      result.staticKeys
    )
    assert.include(result.staticKeys, 'app.css')
    const css = await objectBytes(client, 'ngip-static', 'app.css')
    assert.isTrue(css.equals(readFileSync(join(root, 'public/app.css'))))

    const zip = await objectBytes(client, 'ngip-artifacts', 'lambda/ping-abc123.zip')
    assert.equal(zip.subarray(0, 4).toString('hex'), '504b0304')
    assert.include(zip.toString('latin1'), 'index.js')
    const bundle = createRequire(import.meta.url)(join(outDir, 'index.js'))
    assert.isFunction(bundle.handler)
  })
})
