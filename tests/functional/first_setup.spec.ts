import { test } from '@japa/runner'
import { statSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mockClient } from 'aws-sdk-client-mock'
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager'
import ace from '@adonisjs/core/services/ace'
import hash from '@adonisjs/core/services/hash'
import { Secret } from '@adonisjs/core/helpers'
import testUtils from '@adonisjs/core/services/test_utils'
import NgipSetup from '../../commands/ngip_setup.js'
import { quickstartLines } from '#lib/quickstart_text'
import User from '#models/user'
import { ensureQuickstart } from '#services/accounts/quickstart'
import { makeApiKey, makeUser } from '#tests/helpers/factories'

const ADMIN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ngip-stage/admin-AbCdEf'
const KEY_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ngip-stage/pipeline-api-key-GhIjKl'
const EMAIL = 'admin@stage.ngip.example.com'
const PASSWORD = 'generated-by-cloudformation-42'
const ARGS = ['--provision', '--admin-secret', ADMIN_ARN, '--api-key-secret', KEY_ARN]

/**
 * AWS stand-in: Secrets Manager as an in-memory map behind the real SDK
 * client (aws-sdk-client-mock); PostgreSQL and Redis are real.
 */
function secretsStandIn(values: Record<string, string>) {
  const secrets = mockClient(SecretsManagerClient)
  secrets.on(GetSecretValueCommand).callsFake(({ SecretId }) => {
    if (!(SecretId in values)) {
      throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' })
    }
    return { SecretString: values[SecretId] }
  })
  secrets.on(PutSecretValueCommand).callsFake(({ SecretId, SecretString }) => {
    values[SecretId] = SecretString
    return {}
  })
  return secrets
}

async function provision(args = ARGS) {
  const command = await ace.create(NgipSetup, args)
  await command.exec()
  return command
}

function logText(command: NgipSetup) {
  return command.logger
    .getLogs()
    .map((entry) => entry.message)
    .join('\n')
}

test.group('ngip:setup --provision (first setup of a deployed environment)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('seeds the admin with the secret password and a read-write key into its secret, printing neither', async ({
    assert,
  }) => {
    const values: Record<string, string> = {
      [ADMIN_ARN]: JSON.stringify({ email: EMAIL, password: PASSWORD }),
      [KEY_ARN]: 'none yet: the first deploy puts the API key here',
    }
    const secrets = secretsStandIn(values)
    try {
      const command = await provision([...ARGS, '--api-key-name', 'stage-test'])
      command.assertSucceeded()
      const admin = await User.findByOrFail('email', EMAIL)
      assert.isTrue(admin.isAdmin)
      assert.isTrue(await hash.verify(admin.password, PASSWORD))

      const key = await User.apiKeys.verify(new Secret(values[KEY_ARN]))
      assert.exists(key, 'the secret now holds a key that works')
      assert.equal(key!.name, 'stage-test')
      assert.sameMembers(key!.abilities, ['read', 'write'])
      assert.equal(String(key!.tokenableId), String(admin.id))
      assert.equal(secrets.commandCalls(PutSecretValueCommand).length, 1)

      const printed = logText(command)
      assert.include(printed, `created the admin ${EMAIL}`)
      assert.notInclude(printed, PASSWORD)
      assert.notInclude(printed, values[KEY_ARN])
    } finally {
      secrets.restore()
    }
  })

  test('a second run changes nothing: the password stays, the working key is kept', async ({
    assert,
  }) => {
    const values: Record<string, string> = {
      [ADMIN_ARN]: JSON.stringify({ email: EMAIL, password: PASSWORD }),
      [KEY_ARN]: 'none yet',
    }
    const secrets = secretsStandIn(values)
    try {
      await provision()
      const key = values[KEY_ARN]
      // The admin changed the password in ngip; the secret still has the first one.
      const admin = await User.findByOrFail('email', EMAIL)
      admin.password = 'changed-by-the-admin'
      await admin.save()

      const again = await provision()
      again.assertSucceeded()
      await admin.refresh()
      assert.isTrue(await hash.verify(admin.password, 'changed-by-the-admin'))
      assert.equal(values[KEY_ARN], key)
      assert.equal(secrets.commandCalls(PutSecretValueCommand).length, 1)
      assert.lengthOf(await User.apiKeys.all(admin), 1)
      assert.include(logText(again), 'still works; kept')
    } finally {
      secrets.restore()
    }
  })

  test('a revoked or read-only key in the secret is replaced by a new read-write one', async ({
    assert,
  }) => {
    const values: Record<string, string> = {
      [ADMIN_ARN]: JSON.stringify({ email: EMAIL, password: PASSWORD }),
      [KEY_ARN]: 'none yet',
    }
    const secrets = secretsStandIn(values)
    try {
      await provision()
      const admin = await User.findByOrFail('email', EMAIL)
      const revoked = await User.apiKeys.verify(new Secret(values[KEY_ARN]))
      await User.apiKeys.delete(admin, revoked!.identifier)
      await provision()
      assert.exists(await User.apiKeys.verify(new Secret(values[KEY_ARN])))

      values[KEY_ARN] = await makeApiKey(admin, 'read-only')
      await provision()
      const replaced = await User.apiKeys.verify(new Secret(values[KEY_ARN]))
      assert.sameMembers(replaced!.abilities, ['read', 'write'])
      const keys = await User.apiKeys.all(admin)
      const names = keys.map((key) => key.name)
      assert.sameMembers(names, ['stage-test', 'test'], 'the old stage-test keys are gone')
    } finally {
      secrets.restore()
    }
  })

  test('without the secrets, or with an admin secret that holds no credentials, it fails', async ({
    assert,
  }) => {
    const missing = await provision(['--provision'])
    missing.assertFailed()
    missing.assertLog('[ red(error) ] --provision needs --admin-secret and --api-key-secret')

    const secrets = secretsStandIn({ [ADMIN_ARN]: 'not json', [KEY_ARN]: 'none yet' })
    try {
      const broken = await provision()
      broken.assertFailed()
      broken.assertLog(
        `[ red(error) ] the secret ${ADMIN_ARN} holds no {"email", "password"} for the first admin`
      )
      assert.equal(await User.query().where('email', EMAIL).first(), null)
    } finally {
      secrets.restore()
    }
  })
})

test.group('ngip:setup quick start (pnpm start, docker setup)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ngip-quickstart-'))
    statePath = join(dir, 'quickstart.json')
    // Inside the test's transaction: this test's own first start.
    await User.query().where('email', 'admin@example.com').delete()
    return () => rm(dir, { recursive: true, force: true })
  })

  let statePath = ''
  const onDisk = () => readFile(statePath, 'utf8')

  test('the first start seeds a working admin login, API key and demo Token; the password is not stored', async ({
    assert,
  }) => {
    const first = await ensureQuickstart(statePath)
    assert.containSubset(first, { passwordState: 'new', apiKeyState: 'new' })
    const admin = await User.findByOrFail('email', 'admin@example.com')
    assert.isTrue(admin.isAdmin)
    assert.isTrue(await hash.verify(admin.password, first.password!))
    const key = await User.apiKeys.verify(new Secret(first.apiKey!))
    assert.sameMembers(key!.abilities, ['read', 'write'])
    assert.match(first.demoPingUrl!, /\/ping\/[0-9a-f-]{36}$/)
    assert.deepEqual(quickstartLines(first), [
      `Admin login: admin@example.com / ${first.password}`,
      `API key: ${first.apiKey}`,
      `Demo ping URL: ${first.demoPingUrl}`,
    ])
    assert.notInclude(await onDisk(), first.password!)
    assert.equal(statSync(statePath).mode & 0o777, 0o600)
  })

  test('a second start changes nothing and prints what still works, without the password', async ({
    assert,
  }) => {
    const first = await ensureQuickstart(statePath)
    const admin = await User.findByOrFail('email', 'admin@example.com')
    const second = await ensureQuickstart(statePath)
    assert.containSubset(second, { passwordState: 'kept', apiKeyState: 'kept' })
    assert.notProperty(second, 'password')
    assert.equal(second.apiKey, first.apiKey)
    assert.equal(second.demoPingUrl, first.demoPingUrl)
    await admin.refresh()
    assert.isTrue(await hash.verify(admin.password, first.password!))
    assert.equal(
      quickstartLines(second)[0],
      'Admin login: admin@example.com / the password printed on the first start (never stored)'
    )
    assert.notInclude(await onDisk(), first.password!)
  })

  test('a password the admin changed is never overwritten, and the start says it changed', async ({
    assert,
  }) => {
    await ensureQuickstart(statePath)
    const admin = await User.findByOrFail('email', 'admin@example.com')
    admin.password = 'chosen-by-the-admin'
    await admin.save()
    for (let start = 0; start < 2; start++) {
      const later = await ensureQuickstart(statePath)
      assert.equal(later.passwordState, 'changed')
      assert.notProperty(later, 'password')
      assert.equal(
        quickstartLines(later)[0],
        'Admin login: admin@example.com / the password was changed in ngip since the first start; use that one'
      )
      await admin.refresh()
      assert.isTrue(await hash.verify(admin.password, 'chosen-by-the-admin'))
    }
  })

  test('a revoked quick-start key stays revoked', async ({ assert }) => {
    const first = await ensureQuickstart(statePath)
    const admin = await User.findByOrFail('email', 'admin@example.com')
    const key = await User.apiKeys.verify(new Secret(first.apiKey!))
    await User.apiKeys.delete(admin, key!.identifier)
    for (let start = 0; start < 2; start++) {
      const later = await ensureQuickstart(statePath)
      assert.equal(later.apiKeyState, 'revoked')
      assert.notProperty(later, 'apiKey')
      assert.lengthOf(await User.apiKeys.all(admin), 0, 'no key was made again')
      assert.equal(
        quickstartLines(later)[1],
        'API key: the quick-start key was revoked (make one under API keys, or: pnpm ace apikey:create --email admin@example.com)'
      )
    }
    assert.isNull(await User.apiKeys.verify(new Secret(first.apiKey!)))
  })

  test("an earlier release's stored password is shown once more, then removed from disk", async ({
    assert,
  }) => {
    const first = await ensureQuickstart(statePath)
    const record = JSON.parse(await onDisk())
    await writeFile(statePath, JSON.stringify({ ...record, password: first.password }))
    const upgraded = await ensureQuickstart(statePath)
    assert.containSubset(upgraded, { passwordState: 'kept', password: first.password })
    assert.notInclude(await onDisk(), first.password!)
    const after = await ensureQuickstart(statePath)
    assert.containSubset(after, { passwordState: 'kept', apiKeyState: 'kept' })
    assert.notProperty(after, 'password')
  })

  test('a deleted quick-start admin is not made again while other Users exist', async ({
    assert,
  }) => {
    await ensureQuickstart(statePath)
    await makeUser({ isAdmin: true })
    await User.query().where('email', 'admin@example.com').delete()
    const later = await ensureQuickstart(statePath)
    assert.containSubset(later, { passwordState: 'deleted', apiKeyState: 'revoked' })
    assert.isNull(await User.findBy('email', 'admin@example.com'))
  })
})
