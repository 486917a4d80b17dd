import { test } from '@japa/runner'
import { setTimeout as sleep } from 'node:timers/promises'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { makeIngest, startEdge } from '#tests/helpers/edge'
import { acceptPing, send } from '#tests/helpers/ping'
import { preparePings } from '#services/ingest/stream_entries'
import Ping from '#models/ping'
import { waitFor } from '#tests/helpers/worker_process'

async function pingTimes(url: string, uuid: string, times: number) {
  for (let i = 0; i < times; i++) {
    await send(url, `/ping/${uuid}`)
  }
}

test.group('Ingest: a batch takes the pings that came while the one before was stored', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('entries that arrive after the read join the batch before its store', async ({ assert }) => {
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    try {
      const ingest = await makeIngest('top-up-worker', { batchSize: 100 })
      await pingTimes(edge.url, token.uuid, 3)
      // the first read asks for a few entries (a batch of 100 pings of up to 64 each)
      const read = await ingest.reader.read()
      assert.isBelow(read.entries.length, 3)
      // the store of the batch before: more pings come meanwhile
      await pingTimes(edge.url, token.uuid, 4)
      const batch = await ingest.reader.topUp(read)
      assert.lengthOf(preparePings(batch.entries), 7)
      const result = await ingest.storeWithRetry(batch.entries, false)
      await ingest.finish(batch.entries, result)
      assert.equal(result.stored, 7)
      assert.lengthOf(await Ping.query().where('token_id', token.id), 7)
      // nothing is left behind, nothing is read twice
      const after = await ingest.reader.topUp(await ingest.reader.read())
      assert.lengthOf(after.entries, 0)
    } finally {
      await edge.close()
    }
  })

  test('a full batch, or entries claimed from a dead worker, are not topped up', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    try {
      const ingest = await makeIngest('top-up-full', { batchSize: 1 })
      await pingTimes(edge.url, token.uuid, 2)
      const read = await ingest.reader.read()
      const full = { entries: read.entries, claimed: false }
      assert.lengthOf(full.entries, 1)
      await pingTimes(edge.url, token.uuid, 2)
      const fullAfter = await ingest.reader.topUp(full)
      assert.lengthOf(fullAfter.entries, 1)
      // claimed entries may be stored already: they are stored as read, checked one by one
      const roomy = await makeIngest('top-up-full', { batchSize: 100 })
      const claimed = { entries: read.entries, claimed: true }
      const claimedAfter = await roomy.reader.topUp(claimed)
      assert.lengthOf(claimedAfter.entries, 1)
    } finally {
      await edge.close()
    }
  })
})

test.group('Ingest: under load a store waits a little for more pings', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('pings that trickle in within the linger share one store; the first after a quiet spell goes at once', async ({
    assert,
  }) => {
    const lingerMs = 400
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    const ingest = await makeIngest('linger-worker', { batchSize: 100, lingerMs })
    const stores: number[] = []
    const store = ingest.storeWithRetry.bind(ingest)
    ingest.storeWithRetry = (entries, checkStored) => {
      stores.push(preparePings(entries).length)
      return store(entries, checkStored)
    }
    const stored = () =>
      Ping.query()
        .where('token_id', token.id)
        .then((pings) => pings.length)
    const loop = ingest.run()
    try {
      const start = performance.now()
      await send(edge.url, `/ping/${token.uuid}`)
      await waitFor('the first ping stored', stored, (n) => n === 1, 5000)
      assert.isBelow(performance.now() - start, lingerMs / 2, 'stored without waiting')
      // ten pings, 20 ms apart: each read finds one, the store waits for the rest
      for (let i = 0; i < 10; i++) {
        await send(edge.url, `/ping/${token.uuid}`)
        await sleep(20)
      }
      await waitFor('every ping stored', stored, (n) => n === 11, 5000)
      assert.deepEqual(stores, [1, 10])
    } finally {
      ingest.stop()
      await loop
      await edge.close()
    }
  })

  test('a batch half full already is stored without waiting', async ({ assert }) => {
    const lingerMs = 400
    const token = await makeToken(await makeUser())
    const edge = await startEdge()
    const ingest = await makeIngest('linger-full', { batchSize: 8, lingerMs })
    const stored = () =>
      Ping.query()
        .where('token_id', token.id)
        .then((pings) => pings.length)
    const accept = (i: number) => acceptPing(edge.store, token.uuid, `ping ${i}`)
    const loop = ingest.run()
    try {
      await accept(0)
      await waitFor('the first ping stored', stored, (n) => n === 1, 5000)
      // five pings in one stream entry: more than half of the batch size
      const start = performance.now()
      await Promise.all([1, 2, 3, 4, 5].map(accept))
      await waitFor('the five stored', stored, (n) => n === 6, 5000)
      assert.isBelow(performance.now() - start, lingerMs / 2, 'stored without waiting')
    } finally {
      ingest.stop()
      await loop
      await edge.close()
    }
  })
})
