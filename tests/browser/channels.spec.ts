import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from '@japa/runner'
import config from '@adonisjs/core/services/config'
import testUtils from '@adonisjs/core/services/test_utils'
import Channel from '#models/channel'
import { makeChannel, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { alpineReady, dontSeeText, seeText } from '#tests/helpers/browser'

test.group('Admin UI: Channels', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('creates a webhook Channel with headers and a body template', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    await browserContext.loginAs(user)
    const page = await visit('/channels')
    await page.getByRole('link', { name: 'New Channel' }).click()
    await alpineReady(page)
    await page.getByLabel('Name').fill('Ops hook')
    await page.getByLabel('URL').fill('https://hooks.example.com/ngip')
    await page.getByLabel('Method').selectOption('PUT')
    await page.getByLabel('Headers').fill('Authorization: Bearer abc\nX-Team: ops')
    await page.getByLabel('Body template').fill('{"text": "$NAME is $STATUS"}')
    await page.getByRole('button', { name: 'Create Channel' }).click()

    await seeText(page, '[role=status]', 'Channel "Ops hook" created')
    await seeText(page, 'table.channels', 'https://hooks.example.com/ngip')
    const channel = await Channel.findByOrFail('name', 'Ops hook')
    assert.deepEqual(channel.config, {
      url: 'https://hooks.example.com/ngip',
      method: 'PUT',
      headers: { 'Authorization': 'Bearer abc', 'X-Team': 'ops' },
      body: '{"text": "$NAME is $STATUS"}',
    })
  })

  test('creates an email Channel, and shows a config error next to its field', async ({
    visit,
    browserContext,
    assert,
  }) => {
    await browserContext.loginAs(await makeUser())
    const page = await visit('/channels/new')
    await alpineReady(page)
    await page.getByLabel('Kind').selectOption('email')
    await page.getByLabel('Name').fill('On-call')
    await page.getByLabel('Send to').fill('oncall@example')
    await page.getByRole('button', { name: 'Create Channel' }).click()
    await seeText(page, '#config-to-error', 'email')
    assert.isNull(await Channel.findBy('name', 'On-call'))

    await page.getByLabel('Send to').fill('oncall@example.com')
    await page.getByRole('button', { name: 'Create Channel' }).click()
    await seeText(page, '[role=status]', 'Channel "On-call" created')
    const channel = await Channel.findByOrFail('name', 'On-call')
    assert.deepEqual(channel.config, { to: 'oncall@example.com' })
  })

  test('makes a Channel repeat its down notices every hour', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const channel = await makeChannel(user, 'Pager')
    await browserContext.loginAs(user)
    const page = await visit(`/channels/${channel.id}/edit`)
    await page.getByLabel('While a Token stays down').selectOption({ label: 'repeat every hour' })
    await page.getByRole('button', { name: 'Save' }).click()
    await seeText(page, '[role=status]', 'Channel "Pager" saved')
    await seeText(page, 'table.channels', 'repeats every 1 h while down')
    await channel.refresh()
    assert.equal(channel.repeatInterval, 3600)
  })

  test('edits and deletes a Channel', async ({ visit, browserContext, assert }) => {
    const user = await makeUser()
    const channel = await makeChannel(user, 'Old hook', { headers: { 'X-Key': '1' } })
    await browserContext.loginAs(user)
    const page = await visit('/channels')
    await page.getByRole('link', { name: 'Edit' }).click()
    await page.getByLabel('Name').fill('New hook')
    await page.getByLabel('URL').fill('https://hooks.example.com/v2')
    await page.getByRole('button', { name: 'Save' }).click()
    await seeText(page, '[role=status]', 'Channel "New hook" saved')
    await channel.refresh()
    assert.equal(channel.config.url, 'https://hooks.example.com/v2')
    assert.deepEqual(channel.config.headers, { 'X-Key': '1' })

    await alpineReady(page)
    await page.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete Channel' }).click()
    await seeText(page, '[role=status]', 'Channel "New hook" deleted')
    await dontSeeText(page, 'main', 'hooks.example.com/v2')
    assert.isNull(await Channel.find(channel.id))
  })

  test('sends a test notification and shows the delivery error as the last error', async ({
    visit,
    browserContext,
  }) => {
    const user = await makeUser()
    // A loopback address, made while INTEGRATIONS_ALLOW_PRIVATE_IPS was on; it is off now.
    const allowPrivate = config.get('ngip.integrationsAllowPrivateIps')
    config.set('ngip.integrationsAllowPrivateIps', true)
    await makeChannel(user, 'Local hook', { url: 'http://127.0.0.1:9/hook' })
    config.set('ngip.integrationsAllowPrivateIps', allowPrivate)
    await browserContext.loginAs(user)
    const page = await visit('/channels')
    await page.getByRole('button', { name: 'Send test' }).click()
    await seeText(page, '[role=alert]', 'The test notification to "Local hook" failed')
    await seeText(page, 'td.last-error', '127.0.0.1')
  })

  test('sends a test notification to a webhook that answers', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const received: string[] = []
    const receiver = createServer((request, response) => {
      request.on('data', (chunk) => received.push(String(chunk)))
      request.on('end', () => response.end('ok'))
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const { port } = receiver.address() as AddressInfo
    const allowPrivate = config.get('ngip.integrationsAllowPrivateIps')
    config.set('ngip.integrationsAllowPrivateIps', true)
    try {
      const user = await makeUser()
      const channel = await makeChannel(user, 'Receiver', { url: `http://127.0.0.1:${port}/` })
      await browserContext.loginAs(user)
      const page = await visit('/channels')
      await page.getByRole('button', { name: 'Send test' }).click()
      await seeText(page, '[role=status]', 'Test notification sent to "Receiver"')
      await seeText(page, 'table.channels', 'just now')
      assert.isNotEmpty(received.join(''))
      await channel.refresh()
      assert.isNull(channel.lastError)
    } finally {
      config.set('ngip.integrationsAllowPrivateIps', allowPrivate)
      receiver.close()
    }
  })

  test('pages through many Channels, 50 at a time', async ({ visit, browserContext, assert }) => {
    const user = await makeUser()
    const made: string[] = []
    for (let i = 1; i <= 55; i++) {
      made.push(`Hook ${String(i).padStart(2, '0')}`)
      await makeChannel(user, made[made.length - 1])
    }
    await browserContext.loginAs(user)
    const page = await visit('/channels')
    const names = page.locator('table.channels tbody tr td:first-child')
    const first = await names.allInnerTexts()
    assert.lengthOf(first, 50)
    await page.getByRole('link', { name: 'More Channels →' }).click()
    await page.waitForURL('**/channels?cursor=*')
    const rest = await names.allInnerTexts()
    assert.lengthOf(rest, 5)
    // every Channel once, none on both pages
    assert.deepEqual([...first, ...rest].sort(), made)
    await page.getByRole('link', { name: '← First Channels' }).click()
    await page.waitForURL((url) => !url.search.includes('cursor'))
    assert.lengthOf(await names.allInnerTexts(), 50)
  })

  test('another user’s Channel is not found', async ({ visit, browserContext }) => {
    const channel = await makeChannel(await makeUser(), 'Private')
    await browserContext.loginAs(await makeUser())
    const page = await visit(`/channels/${channel.id}/edit`)
    await seeText(page, 'h1', 'Not found')
    const list = await visit('/channels')
    await dontSeeText(list, 'main', 'Private')
  })
})
