import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import ace from '@adonisjs/core/services/ace'
import testUtils from '@adonisjs/core/services/test_utils'
import ApikeyCreate from '../../commands/apikey_create.js'
import UserCreate from '../../commands/user_create.js'
import User from '#models/user'
import { makeUser } from '#tests/helpers/factories'

const run = promisify(execFile)

test.group('Commands: user:create and apikey:create', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('--help prints the options and succeeds', async ({ assert }) => {
    for (const command of ['apikey:create', 'user:create']) {
      const { stdout } = await run(process.execPath, ['ace', command, '--help'])
      assert.include(stdout, '--email', command)
    }
  })

  test('user:create makes a user; without email or password it says what is missing', async ({
    assert,
  }) => {
    const missing = await ace.create(UserCreate, ['--email', 'ops@example.com'])
    await missing.exec()
    missing.assertFailed()
    missing.assertLog('[ red(error) ] Give the new user an --email and a --password')

    const created = await ace.create(UserCreate, [
      '--email',
      'ops@example.com',
      '--password',
      'long-enough',
      '--admin',
    ])
    await created.exec()
    created.assertSucceeded()
    const user = await User.findByOrFail('email', 'ops@example.com')
    assert.isTrue(user.isAdmin)
  })

  test('user:create and the Users page keep one password rule: 9 characters are too few', async ({
    client,
    assert,
  }) => {
    const short = await ace.create(UserCreate, [
      '--email',
      'a@example.com',
      '--password',
      'ninechars',
    ])
    await short.exec()
    short.assertFailed()
    short.assertLog('[ red(error) ] The password must have at least 10 characters')
    assert.isNull(await User.findBy('email', 'a@example.com'))

    const admin = await makeUser({ isAdmin: true })
    const response = await client
      .post('/users')
      .form({ email: 'b@example.com', password: 'ninechars' })
      .loginAs(admin)
      .withCsrfToken()
      .redirects(0)
    assert.equal(response.status(), 302)
    response.assertFlashMessage('inputErrorsBag', { password: ['Use at least 10 characters'] })
    assert.isNull(await User.findBy('email', 'b@example.com'))

    const enough = await ace.create(UserCreate, [
      '--email',
      'a@example.com',
      '--password',
      'tencharss!',
    ])
    await enough.exec()
    enough.assertSucceeded()
  })

  test('apikey:create prints a read-only key last; without --email it fails', async ({
    assert,
  }) => {
    const user = await makeUser()
    const missing = await ace.create(ApikeyCreate, [])
    await missing.exec()
    missing.assertFailed()
    missing.assertLog("[ red(error) ] Name the key's owner with --email")

    const created = await ace.create(ApikeyCreate, ['--email', user.email, '--read-only'])
    await created.exec()
    created.assertSucceeded()
    const [key] = await User.apiKeys.all(user)
    assert.deepEqual(key.abilities, ['read'])
  })
})
