import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import Token from '#models/token'
import { makeToken, makeUser } from '#tests/helpers/factories'

async function addPings(tokenIds: number[], client = db.connection()) {
  await client.rawQuery(
    `INSERT INTO pings (token_id, kind, created_at) SELECT id, 'success', now() FROM unnest(?::bigint[]) id`,
    [tokenIds]
  )
}

async function pingsOf(tokenIds: number[]) {
  const [row] = await db.from('pings').whereIn('token_id', tokenIds).count('* as n')
  return Number(row.n)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Migration 0082: the Ping → Token rule is checked once a statement instead of row by row.
 * It must still refuse a Ping of a missing Token, take a Token's Pings with it, and make a
 * delete of a Token wait for a transaction that is storing Pings for it.
 */
test.group('Pings and their Token: the rule the foreign key kept', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a Ping of a Token that does not exist is refused as a foreign key violation', async ({
    assert,
  }) => {
    const token = await makeToken(await makeUser())
    const missing = token.id + 1_000_000
    // in a savepoint: the refused statement must not abort the test's transaction
    const error = await db
      .transaction((trx) => addPings([token.id, missing], trx))
      .catch((caught) => caught)
    assert.equal(error?.code, '23503')
    assert.equal(error?.constraint, 'pings_token_id_foreign')
    assert.equal(await pingsOf([token.id]), 0)
  })

  test('a batch of Pings of existing Tokens is stored', async ({ assert }) => {
    const user = await makeUser()
    const tokens = [await makeToken(user), await makeToken(user)]
    await addPings([tokens[0].id, tokens[1].id, tokens[0].id])
    assert.equal(await pingsOf(tokens.map((token) => token.id)), 3)
  })

  test('deleting Tokens deletes their Pings and leaves the others', async ({ assert }) => {
    const user = await makeUser()
    const [gone, other, kept] = [
      await makeToken(user),
      await makeToken(user),
      await makeToken(user),
    ]
    await addPings([gone.id, gone.id, other.id, kept.id])
    await db.from('tokens').whereIn('id', [gone.id, other.id]).delete()
    assert.equal(await pingsOf([gone.id, other.id]), 0)
    assert.equal(await pingsOf([kept.id]), 1)
  })

  test('deleting a User deletes the Pings of their Tokens', async ({ assert }) => {
    const user = await makeUser()
    const token = await makeToken(user)
    await addPings([token.id, token.id])
    await user.delete()
    assert.equal(await pingsOf([token.id]), 0)
  })

  test('a TRUNCATE of tokens empties pings too', async ({ assert }) => {
    const user = await makeUser()
    const tokens = [await makeToken(user), await makeToken(user)]
    await addPings([tokens[0].id, tokens[0].id, tokens[1].id])
    assert.equal(await pingsOf(tokens.map((token) => token.id)), 3)
    // CASCADE for the tables with a foreign key to tokens (flips, reminders …); pings has
    // none, the statement trigger empties it. Rolled back with the test's transaction.
    await db.rawQuery('TRUNCATE tokens CASCADE')
    const [row] = await db.from('pings').count('* as n')
    assert.equal(Number(row.n), 0)
  })
})

test.group('Pings and their Token: concurrent delete', () => {
  test('a delete of a Token waits for the transaction storing its Pings, then takes them', async ({
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user)
    const storing = await db.transaction()
    try {
      await addPings([token.id], storing)
      let deleted = false
      const deleting = db
        .from('tokens')
        .where('id', token.id)
        .delete()
        .then(() => (deleted = true))
      await sleep(300)
      assert.isFalse(deleted, 'the delete waited for the storing transaction')
      await storing.commit()
      await deleting
      assert.isTrue(deleted)
      assert.equal(await pingsOf([token.id]), 0)
    } finally {
      if (!storing.isCompleted) {
        await storing.rollback()
      }
      await Token.query().where('id', token.id).delete()
      await user.delete()
    }
  })
})
