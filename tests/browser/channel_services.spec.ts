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

test.group('Admin UI: Channels of a service with a host of its own', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())
  group.each.setup(allowPrivateReceivers)

  test('creates an Opsgenie Channel in the EU region and sends it a test alert', async ({
    visit,
    browserContext,
    assert,
    cleanup,
  }) => {
    const receiver = await startHttpReceiver([202])
    cleanup(async () => {
      await receiver.close()
    })
    cleanup(useServiceReceiver(['api.eu.opsgenie.com'], `${receiver.url}/eu`))
    await browserContext.loginAs(await makeUser())
    const page = await visit('/channels/new')
    await alpineReady(page)
    await page.getByLabel('Kind').selectOption('opsgenie')
    await page.getByLabel('Name', { exact: true }).fill('On-call')
    await page.getByLabel('API key', { exact: true }).fill('not a key')
    await page.getByLabel('Region', { exact: true }).selectOption('eu')
    await page.getByRole('button', { name: 'Create Channel' }).click()
    await seeText(page, '#config-api_key-error', 'An Opsgenie API key is a UUID')
    // What was chosen is still chosen
    assert.equal(await page.getByLabel('Region', { exact: true }).inputValue(), 'eu')

    await page.getByLabel('API key', { exact: true }).fill('01234567-89ab-cdef-0123-456789abcdef')
    await page.getByRole('button', { name: 'Create Channel' }).click()
    await seeText(page, '[role=status]', 'Channel "On-call" created')
    await seeText(page, 'table.channels', 'Opsgenie (EU)')
    const channel = await Channel.findByOrFail('name', 'On-call')
    assert.deepEqual(channel.config, {
      api_key: '01234567-89ab-cdef-0123-456789abcdef',
      region: 'eu',
    })

    await page.getByRole('button', { name: 'Send test' }).click()
    await seeText(page, '[role=status]', 'Test notification sent to "On-call"')
    assert.lengthOf(receiver.requests, 1)
    assert.equal(receiver.requests[0].url, '/eu/v2/alerts')
    assert.equal(
      receiver.requests[0].headers.authorization,
      'GenieKey 01234567-89ab-cdef-0123-456789abcdef'
    )
  })
})
