import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Channel from '#models/channel'
import { makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { alpineReady, seeText } from '#tests/helpers/browser'
import {
  allowPrivateReceivers,
  startHttpReceiver,
  useServiceReceiver,
} from '#tests/helpers/receivers'

test.group('Admin UI: Pushover and Matrix Channels', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())
  group.each.setup(allowPrivateReceivers)

  test('creates a Pushover Channel with a priority, and its test notification reaches the API', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    const restore = useServiceReceiver(['api.pushover.net'], receiver.url)
    try {
      await browserContext.loginAs(await makeUser())
      const page = await visit('/channels/new')
      await alpineReady(page)
      await page.getByLabel('Kind').selectOption('pushover')
      await page.getByLabel('Name').fill('Phone')
      await page.getByLabel('API token').fill('azGDORePK8gMaC0QOYAMyEEuzJnyUi')
      await page.getByLabel('User or group key').fill('uQiRzpo4DXghDmr9QzzfQu27cmVRsG')
      await page.getByLabel('Pushover priority').selectOption('1')
      await page.getByRole('button', { name: 'Create Channel' }).click()
      await seeText(page, '[role=status]', 'Channel "Phone" created')
      const channel = await Channel.findByOrFail('name', 'Phone')
      assert.deepEqual(channel.config, {
        token: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi',
        user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
        priority: 1,
      })

      await page.getByRole('button', { name: 'Send test' }).click()
      await seeText(page, '[role=status]', 'Test notification sent to "Phone"')
      assert.lengthOf(receiver.requests, 1)
      assert.equal(receiver.requests[0].url, '/1/messages.json')
      assert.containSubset(JSON.parse(receiver.requests[0].body), {
        title: '[test] Test notification is DOWN',
        priority: 1,
      })
    } finally {
      restore()
      await receiver.close()
    }
  })

  test('refuses a Matrix room alias beside its field, then takes the room id', async ({
    visit,
    browserContext,
    assert,
  }) => {
    await browserContext.loginAs(await makeUser())
    const page = await visit('/channels/new')
    await alpineReady(page)
    await page.getByLabel('Kind').selectOption('matrix')
    await page.getByLabel('Name').fill('Ops room')
    await page.getByLabel('Homeserver').fill('https://matrix.example.org')
    await page.getByLabel('Account token').fill('syt_abc_def')
    await page.getByLabel('Room id').fill('#ops:example.org')
    await page.getByRole('button', { name: 'Create Channel' }).click()
    await seeText(page, '#config-room-error', 'A Matrix room id looks like !abc123:example.org')
    assert.isNull(await Channel.findBy('name', 'Ops room'))

    await page.getByLabel('Account token').fill('syt_abc_def')
    await page.getByLabel('Room id').fill('!QtykxKocfZaZOUrTwp:example.org')
    await page.getByRole('button', { name: 'Create Channel' }).click()
    await seeText(page, '[role=status]', 'Channel "Ops room" created')
    const channel = await Channel.findByOrFail('name', 'Ops room')
    assert.equal(channel.config.room, '!QtykxKocfZaZOUrTwp:example.org')
  })
})
