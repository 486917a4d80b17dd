import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { SelfPing } from '../../pipelines/lib/self_ping.ts'
import { startHttpReceiver } from '../helpers/receivers.ts'
import { capturedLog, root } from './helpers/pipeline.ts'

const tsx = createRequire(import.meta.url).resolve('tsx/cli')
const UUID = '6f0c1a52-4b1e-4a43-9d0e-2f8f3b1c9a77'
const RID = /\?rid=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/**
 * Runs the pipeline's entry file for real, reporting to `pingUrl`; async, so
 * the receiver in this process can answer meanwhile.
 */
async function pipeline(args: string[], pingUrl: string) {
  const state = mkdtempSync(join(tmpdir(), 'ngip-state-'))
  try {
    const child = spawn(process.execPath, [tsx, 'pipelines/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, NGIP_PIPELINE_STATE_DIR: state, NGIP_PIPELINE_PING_URL: pingUrl },
    })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.stderr.on('data', (chunk) => (out += chunk))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    return { code, out }
  } finally {
    rmSync(state, { recursive: true, force: true })
  }
}

test.group('the pipeline watches itself with ngip (NGIP_PIPELINE_PING_URL)', () => {
  test('a run sends /start, then its exit status with the result table, paired by rid', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    try {
      const { code, out } = await pipeline(['stage-test'], `${receiver.url}/ping/${UUID}`)
      assert.equal(code, 1, out)
      const [start, end] = receiver.requests
      assert.lengthOf(receiver.requests, 2)
      assert.equal(start.method, 'GET')
      assert.match(start.url, new RegExp(`^/ping/${UUID}/start${RID.source}`))
      assert.equal(end.method, 'POST')
      assert.match(end.url, new RegExp(`^/ping/${UUID}/1${RID.source}`))
      assert.equal(start.url.split('rid=')[1], end.url.split('rid=')[1], 'one run, one rid')
      assert.match(end.body, /^stage\s+result\s+duration/m)
      assert.match(end.body, /^stage-test\s+failed\s+\d+\.\d s/m)
    } finally {
      await receiver.close()
    }
  })

  test('a passed run ends with exit status 0', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      const { log } = capturedLog()
      const ping = new SelfPing(`${receiver.url}/ping/${UUID}/`, log)
      await ping.start()
      await ping.end(0, 'stage  result\nbuild  passed\n')
      assert.deepEqual(
        receiver.requests.map((request) => request.url),
        [`/ping/${UUID}/start?rid=${ping.rid}`, `/ping/${UUID}/0?rid=${ping.rid}`]
      )
      assert.equal(receiver.requests[1].body, 'stage  result\nbuild  passed\n')
    } finally {
      await receiver.close()
    }
  })

  test('a ping that cannot be sent is retried, reported in one line, and fails nothing', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver([503])
    try {
      const { log, output } = capturedLog()
      await new SelfPing(`${receiver.url}/ping/${UUID}`, log).end(1, 'table')
      assert.lengthOf(receiver.requests, 3)
      assert.match(
        output(),
        /^pipeline: could not ping http:\/\/127\.0\.0\.1:\d+\/ping\/\S+ \(503/m
      )
    } finally {
      await receiver.close()
    }
  })

  test('a dry run records the pings in its plan and sends none', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      const { code, out } = await pipeline(['cleanup', '--dry-run'], `${receiver.url}/ping/${UUID}`)
      assert.equal(code, 0, out)
      assert.lengthOf(receiver.requests, 0)
      assert.match(out, new RegExp(`^ping GET ${receiver.url}/ping/${UUID}/start\\?rid=`, 'm'))
      assert.match(out, new RegExp(`^ping POST ${receiver.url}/ping/${UUID}/0\\?rid=`, 'm'))
    } finally {
      await receiver.close()
    }
  })
})
