import { test } from '@japa/runner'
import { Redis } from 'ioredis'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import redis from '@adonisjs/redis/services/main'
import TokenRegistry from '#services/registry/token_registry'
import { REDIS_STEP } from '#services/registry/registry_sync'
import { redisKeys, slugField } from '#lib/redis_keys'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis, testRedisConfig } from '#tests/helpers/redis'
import TokensSync from '../../commands/tokens_sync.js'
import { startEdge } from '#tests/helpers/edge'
import { statusOf } from '#tests/helpers/ping'

test.group('Token registry: what the edge knows', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('a sync restores Tokens, slug routes and ping keys after Redis lost them', async ({
    assert,
  }) => {
    const user = await makeUser()
    const plain = await makeToken(user)
    const slugged = await makeToken(user, { slug: 'nightly' })
    await flushRedis()
    const edge = await startEdge()
    try {
      assert.equal(await statusOf(edge.url, `/ping/${plain.uuid}`), 404)
      const result = await TokenRegistry.sync({ pageSize: 2 })
      assert.isAtLeast(result!.tokens, 2)
      assert.equal(await statusOf(edge.url, `/ping/${plain.uuid}`), 200)
      assert.equal(await statusOf(edge.url, `/ping/${user.pingKey}/nightly`), 200)
      assert.equal(await statusOf(edge.url, `/ping/${user.pingKey}/other?create=1`), 201)
      assert.equal(
        await redis.hget(redisKeys.slugOf, slugged.uuid),
        slugField(user.pingKey, 'nightly')
      )
    } finally {
      await edge.close()
    }
  })

  test('a sync drops what the database no longer has', async ({ assert }) => {
    const user = await makeUser()
    await TokenRegistry.add('2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11', {
      uuid: '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11',
      pingKey: user.pingKey,
      slug: 'gone',
    })
    await TokenRegistry.sync()
    assert.equal(await redis.sismember(redisKeys.tokens, '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'), 0)
    assert.isNull(await redis.hget(redisKeys.slugs, slugField(user.pingKey, 'gone')))
    assert.equal(await redis.sismember(redisKeys.pingKeys, user.pingKey), 1)
  })
})

/** Every command another connection sends to our Redis database, as MONITOR reports it. */
async function watchRedis() {
  const config = testRedisConfig()
  const client = new Redis({ host: config.host, port: config.port, password: config.password })
  const monitor = await client.monitor()
  const seen: string[][] = []
  let watching = true
  monitor.on('monitor', (_time: string, args: string[], _source: string, database: string) => {
    // after stop(), the closing connection may still tell of later commands
    if (watching && Number(database) === config.db) {
      seen.push(args)
    }
  })
  return {
    seen,
    async stop() {
      watching = false
      monitor.disconnect()
      client.disconnect()
    },
  }
}

const LIVE_KEYS = new Set<string>([
  redisKeys.tokens,
  redisKeys.slugs,
  redisKeys.slugOf,
  redisKeys.pingKeys,
])

async function tokenUuids() {
  const rows = await db.from('tokens').select('uuid')
  return rows.map((row) => row.uuid as string).sort()
}

/** `count` Tokens of `userId` in one statement, as a big install has them. */
async function insertTokens(userId: number, count: number) {
  await db.rawQuery(
    `insert into tokens (uuid, user_id, name, created_at, updated_at)
     select gen_random_uuid(), ?, 'Bulk ' || n, now() - interval '1 hour', now() - interval '1 hour'
     from generate_series(1, ?) as n`,
    [userId, count]
  )
}

test.group('Token registry: the periodic sync diffs in small steps', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('a sync adds and removes members in place: no DEL or RENAME of the live keys', async ({
    assert,
  }) => {
    const user = await makeUser()
    const tokens = []
    for (let index = 0; index < 5; index += 1) {
      tokens.push(await makeToken(user, { slug: index === 0 ? 'kept' : undefined }))
    }
    await redis.srem(redisKeys.tokens, tokens[1].uuid, tokens[2].uuid)
    const ghost = '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'
    await TokenRegistry.add(ghost, { uuid: ghost, pingKey: user.pingKey, slug: 'gone' })
    await redis.sadd(redisKeys.tokens, 'not-a-uuid')
    await redis.sadd(redisKeys.pingKeys, 'no-such-user')

    const watch = await watchRedis()
    let result
    try {
      result = await TokenRegistry.sync({ pageSize: 2 })
      await redis.ping()
    } finally {
      await watch.stop()
    }
    const members = await redis.smembers(redisKeys.tokens)
    assert.deepEqual(members.sort(), await tokenUuids())
    assert.deepInclude(result, { added: 2, removed: 2 })
    assert.deepEqual(await redis.hgetall(redisKeys.slugs), {
      [slugField(user.pingKey, 'kept')]: tokens[0].uuid,
    })
    assert.deepEqual(await redis.hgetall(redisKeys.slugOf), {
      [tokens[0].uuid]: slugField(user.pingKey, 'kept'),
    })
    assert.equal(await redis.sismember(redisKeys.pingKeys, 'no-such-user'), 0)
    assert.equal(await redis.sismember(redisKeys.pingKeys, user.pingKey), 1)

    const blocking = watch.seen.filter(
      ([command, ...keys]) =>
        ['del', 'unlink', 'rename', 'renamenx'].includes(command.toLowerCase()) &&
        keys.some((key) => LIVE_KEYS.has(key))
    )
    assert.isAbove(watch.seen.length, 0)
    assert.deepEqual(blocking, [])
  })

  test('each command of a sync touches at most REDIS_STEP members and none reads a whole key', async ({
    assert,
  }) => {
    const user = await makeUser()
    await insertTokens(user.id, REDIS_STEP * 2 + 500)
    const slugged = await makeToken(user, { slug: 'nightly' })
    await flushRedis()
    const ghosts = Array.from(
      { length: REDIS_STEP + 10 },
      (_, i) => `2a3c8d8e-0d7b-4a39-9b1c-${String(i).padStart(12, '0')}`
    )
    await redis.sadd(redisKeys.tokens, ...ghosts)

    const watch = await watchRedis()
    let result
    try {
      result = await TokenRegistry.sync()
      await redis.ping()
    } finally {
      await watch.stop()
    }
    assert.deepInclude(result, { added: REDIS_STEP * 2 + 501, removed: REDIS_STEP + 10 })
    const left = await redis.smembers(redisKeys.tokens)
    assert.deepEqual(left.sort(), await tokenUuids())
    assert.equal(
      await redis.hget(redisKeys.slugOf, slugged.uuid),
      slugField(user.pingKey, 'nightly')
    )

    const onLiveKeys = watch.seen.filter(([, key]) => key !== undefined && LIVE_KEYS.has(key))
    const commands = new Set(onLiveKeys.map(([command]) => command.toLowerCase()))
    assert.includeMembers([...commands], ['sadd', 'sscan', 'srem'])
    const wholeKey = [
      'smembers',
      'hgetall',
      'hkeys',
      'hvals',
      'sdiff',
      'sdiffstore',
      'sinter',
      'sinterstore',
      'sunion',
      'sunionstore',
      'del',
      'unlink',
      'rename',
      'renamenx',
      'sort',
      'copy',
    ]
    assert.deepEqual(
      [...commands].filter((command) => wholeKey.includes(command)),
      []
    )
    assert.notInclude(
      watch.seen.map(([command]) => command.toLowerCase()),
      'keys'
    )
    const members = (args: string[]) => {
      const command = args[0].toLowerCase()
      if (command === 'sscan' || command === 'hscan') {
        return Number(args[args.findIndex((arg) => arg.toLowerCase() === 'count') + 1])
      }
      return command === 'hset' ? (args.length - 2) / 2 : args.length - 2
    }
    const biggest = Math.max(...onLiveKeys.map(members))
    assert.isAtMost(biggest, REDIS_STEP)
  }).timeout(60_000)

  test('a sync of a set in step looks nothing up; one extra member is enough to walk it', async ({
    assert,
  }) => {
    const user = await makeUser()
    await makeToken(user, { slug: 'nightly' })
    await makeToken(user)
    const scans = async () => {
      const watch = await watchRedis()
      try {
        await TokenRegistry.sync({ pageSize: 1 })
        await redis.ping()
      } finally {
        await watch.stop()
      }
      return watch.seen
        .filter(
          ([command, key]) =>
            ['sscan', 'hscan'].includes(command.toLowerCase()) && LIVE_KEYS.has(key)
        )
        .map(([command, key]) => `${command.toLowerCase()} ${key}`)
    }
    assert.deepEqual(await scans(), [`sscan ${redisKeys.pingKeys}`])

    await redis.sadd(redisKeys.tokens, '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11')
    assert.include(await scans(), `sscan ${redisKeys.tokens}`)
    assert.equal(await redis.sismember(redisKeys.tokens, '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11'), 0)

    await redis.hset(redisKeys.slugs, slugField(user.pingKey, 'old'), 'x')
    assert.includeMembers(await scans(), [`hscan ${redisKeys.slugOf}`, `hscan ${redisKeys.slugs}`])
    assert.isNull(await redis.hget(redisKeys.slugs, slugField(user.pingKey, 'old')))
  })

  test('a Token created between the database pass and the Redis scan is kept', async ({
    assert,
  }) => {
    const user = await makeUser()
    for (let index = 0; index < 3; index += 1) {
      await makeToken(user)
    }
    let late: { uuid: string } | undefined
    const seenAfterScan: number[] = []
    await TokenRegistry.sync({
      pageSize: 2,
      onProgress: async ({ phase, checked, total }) => {
        if (phase === 'tokens' && checked === total && !late) {
          late = await makeToken(user, { slug: 'late' })
        }
        if (phase === 'ping keys' && late) {
          // after the scan removed what it found extra, before anything re-adds
          seenAfterScan.push(await redis.sismember(redisKeys.tokens, late.uuid))
        }
      },
    })
    assert.isDefined(late)
    assert.deepEqual(seenAfterScan, [1])
    assert.equal(await redis.sismember(redisKeys.tokens, late!.uuid), 1)
    assert.equal(await redis.hget(redisKeys.slugs, slugField(user.pingKey, 'late')), late!.uuid)
    const members = await redis.smembers(redisKeys.tokens)
    assert.deepEqual(members.sort(), await tokenUuids())
  })

  test('two syncs at once: one runs, the other says so and succeeds without changes', async ({
    assert,
  }) => {
    const user = await makeUser()
    await makeToken(user)
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let started!: () => void
    const running = new Promise<void>((resolve) => (started = resolve))
    const first = TokenRegistry.sync({
      pageSize: 1,
      onProgress: async () => {
        started()
        await held
      },
    })
    await running
    await redis.sadd(redisKeys.tokens, 'not-a-uuid')
    const second = await ace.create(TokensSync, [])
    await second.exec()
    second.assertSucceeded()
    second.assertLog(
      '[ blue(info) ] Another tokens:sync is running; this one stops without changes'
    )
    assert.equal(await redis.sismember(redisKeys.tokens, 'not-a-uuid'), 1)
    release()
    assert.isNotNull(await first)

    const third = await ace.create(TokensSync, ['--page-size', '1'])
    await third.exec()
    third.assertSucceeded()
    third.assertLog('[ blue(info) ] 1 of 1 Tokens checked')
    assert.equal(await redis.sismember(redisKeys.tokens, 'not-a-uuid'), 0)
  })

  test('the edge keeps answering 200 for existing Tokens during a sync over 20,000 Tokens', async ({
    assert,
  }) => {
    const user = await makeUser()
    const known = await makeToken(user)
    await insertTokens(user.id, 20_000)
    await TokenRegistry.sync()
    await redis.sadd(redisKeys.tokens, '2a3c8d8e-0d7b-4a39-9b1c-6c0a4b0d2f11')
    const edge = await startEdge()
    try {
      let done = false
      const syncing = TokenRegistry.sync({ pageSize: 2000 }).finally(() => (done = true))
      const answers: number[] = []
      while (!done) {
        answers.push(await statusOf(edge.url, `/ping/${known.uuid}`))
      }
      await syncing
      assert.isAtLeast(answers.length, 3)
      assert.deepEqual([...new Set(answers)], [200])
      assert.equal(await redis.scard(redisKeys.tokens), 20_001)
    } finally {
      await edge.close()
    }
  }).timeout(60_000)
})
