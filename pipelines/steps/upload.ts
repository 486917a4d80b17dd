import { readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { contextFiles } from '../lib/build_context.ts'
import type { Tools } from '../lib/tools.ts'
import { zip } from '../lib/zip.ts'

export interface UploadConfig {
  root: string
  tag: string
  staticBucket: string
  artifactsBucket: string
  /** Scratch folder for the Lambda bundle. */
  outDir: string
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
}

/** The ping edge's Lambda handler as one CommonJS file (esbuild), zipped. */
export async function lambdaBundle(tools: Tools, config: UploadConfig) {
  const out = join(config.outDir, 'index.js')
  await tools.$`pnpm exec esbuild ping/lambda.ts --bundle --platform=node --target=node24 --format=cjs --outfile=${out} --log-level=warning`
  return async () => zip([{ name: 'index.js', data: await readFile(out) }])
}

/**
 * upload: the static files (public/) to the static bucket, keyed as the web
 * serves them, and the Lambda bundle to the artifacts bucket as
 * lambda/ping-<commit>.zip.
 */
export async function upload(tools: Tools, config: UploadConfig) {
  const publicDir = join(config.root, 'public')
  const files = await contextFiles(publicDir)
  for (const path of files) {
    const type = TYPES[extname(path)] ?? 'application/octet-stream'
    await tools.aws.s3Put(config.staticBucket, path, () => readFile(join(publicDir, path)), type)
  }
  const bundle = await lambdaBundle(tools, config)
  const key = `lambda/ping-${config.tag}.zip`
  await tools.aws.s3Put(config.artifactsBucket, key, bundle, 'application/zip')
  tools.log.line(
    `upload: ${files.length} static files to s3://${config.staticBucket}, s3://${config.artifactsBucket}/${key}`
  )
  return { staticKeys: files, lambdaKey: key }
}
