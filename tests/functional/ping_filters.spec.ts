import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type Token from '#models/token'
import Flip from '#models/flip'
import Ping from '#models/ping'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { drain, makeIngest, startEdge } from '#tests/helpers/edge'
import { statusOf } from '#tests/helpers/ping'

async function flipsOf(token: Token) {
  const flips = await Flip.query().where('token_id', token.id).orderBy('id')
  return flips.map((flip) => [flip.oldStatus, flip.newStatus, flip.reason])
}

async function pingsOf(token: Token) {
  const pings = await Ping.query().where('token_id', token.id).orderBy('id')
  return pings.map((ping) => [ping.method, ping.kind])
}

/**
 * Sends requests to the edge one after another, then lets a worker store them all.
 */
async function pingAll(edgeUrl: string, requests: [string, RequestInit][]) {
  for (const [path, init] of requests) {
    const status = await statusOf(edgeUrl, path, init)
    if (status !== 200) {
      throw new Error(`${init.method ?? 'GET'} ${path} answered ${status}`)
    }
  }
  await drain(await makeIngest())
}

const post = (body: string): RequestInit => ({ method: 'POST', body })

test.group('Ping filters: through the edge and the worker', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a success ping whose body holds a failure keyword takes the Token down', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser(), {
      filter_body: true,
      failure_kw: 'error, fatal',
    })
    const edge = await startEdge()
    const path = `/ping/${token.uuid}`
    try {
      await pingAll(edge.url, [[path, post('nightly backup: 3 files, done')]])
      await token.refresh()
      assert.equal(token.status, 'up')
      await pingAll(edge.url, [[path, post('nightly backup: disk full (ERROR 28)')]])
    } finally {
      await edge.close()
    }
    await token.refresh()
    assert.equal(token.status, 'down')
    assert.deepEqual(await pingsOf(token), [
      ['POST', 'success'],
      ['POST', 'fail'],
    ])
    assert.deepEqual(await flipsOf(token), [
      ['new', 'up', 'success'],
      ['up', 'down', 'fail'],
    ])
  })

  test('with methods POST, a GET or HEAD ping is stored as ignored and the status stays', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser(), { methods: 'POST' })
    const edge = await startEdge()
    const path = `/ping/${token.uuid}`
    try {
      await pingAll(edge.url, [
        [path, { method: 'GET' }],
        [`${path}/fail`, { method: 'HEAD' }],
      ])
      await token.refresh()
      assert.equal(token.status, 'new')
      assert.equal(token.nPings, 2)
      assert.isNull(token.lastPingAt)
      assert.deepEqual(await pingsOf(token), [
        ['GET', 'ign'],
        ['HEAD', 'ign'],
      ])
      await pingAll(edge.url, [[path, post('')]])
    } finally {
      await edge.close()
    }
    await token.refresh()
    assert.equal(token.status, 'up')
    assert.deepEqual(await flipsOf(token), [['new', 'up', 'success']])
  })
})
