import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import ChannelService from '#services/alerts/channel_service'
import Notifier from '#services/alerts/notifier'
import { isPrivateAddress, safeRequest } from '#services/alerts/safe_http'
import { makeUser } from '#tests/helpers/factories'
import { startHttpReceiver } from '#tests/helpers/receivers'

test.group('Alerts: webhooks never reach private addresses unless allowed', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('private, loopback, link-local and mapped addresses are recognised', ({ assert }) => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '224.0.0.1',
    ]) {
      assert.isTrue(isPrivateAddress(address), address)
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      assert.isFalse(isPrivateAddress(address), address)
    }
  })

  test('refuses loopback and link-local IPs and names that resolve to them', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      for (const url of [
        receiver.url,
        `http://localhost:${receiver.port}/`,
        'http://169.254.169.254/latest/meta-data',
        `http://[::1]:${receiver.port}/`,
        'http://10.0.0.1/',
      ]) {
        const error = await safeRequest({
          method: 'POST',
          url,
          allowPrivate: false,
          timeoutMs: 2000,
        }).then(
          () => null,
          (reason: Error) => reason
        )
        assert.match(error?.message ?? 'delivered', /private or loopback/, url)
      }
      assert.lengthOf(receiver.requests, 0)
      const allowed = await safeRequest({
        method: 'POST',
        url: `http://localhost:${receiver.port}/`,
        allowPrivate: true,
      })
      assert.equal(allowed.status, 200)
      assert.lengthOf(receiver.requests, 1)
    } finally {
      await receiver.close()
    }
  })

  test('a test notification to a loopback webhook fails with the reason recorded', async ({
    assert,
    cleanup,
  }) => {
    const previous = app.config.get('ngip.integrationsAllowPrivateIps')
    cleanup(() => app.config.set('ngip.integrationsAllowPrivateIps', previous))
    const receiver = await startHttpReceiver()
    try {
      // made while private addresses were allowed; they are not any more
      app.config.set('ngip.integrationsAllowPrivateIps', true)
      const channel = await ChannelService.create(await makeUser(), {
        kind: 'webhook',
        name: 'x',
        config: { url: receiver.url },
      })
      app.config.set('ngip.integrationsAllowPrivateIps', false)
      const result = await Notifier.sendTest(channel)
      assert.isFalse(result.ok)
      await channel.refresh()
      assert.match(channel.lastError ?? '', /INTEGRATIONS_ALLOW_PRIVATE_IPS/)
      assert.lengthOf(receiver.requests, 0)
    } finally {
      await receiver.close()
    }
  })

  test('a Channel to a plainly private address is refused when made or changed', async ({
    assert,
    cleanup,
  }) => {
    const previous = app.config.get('ngip.integrationsAllowPrivateIps')
    app.config.set('ngip.integrationsAllowPrivateIps', false)
    cleanup(() => app.config.set('ngip.integrationsAllowPrivateIps', previous))
    const user = await makeUser()
    for (const [kind, config] of [
      ['webhook', { url: 'http://127.0.0.1:9/hook' }],
      ['webhook', { url: 'http://app.localhost:8080/' }],
      ['webhook', { url: 'http://localhost/hook' }],
      ['slack', { url: 'https://127.0.0.2/services/x' }],
      ['ntfy', { url: 'http://169.254.169.254', topic: 'ops' }],
      ['webhook', { url: 'http://10.0.0.7/' }],
    ] as const) {
      const error = await ChannelService.create(user, { kind, name: 'x', config }).then(
        () => null,
        (reason) => reason
      )
      assert.deepEqual(error?.messages?.[0]?.field, 'config.url', config.url)
      assert.match(error.messages[0].message, /private or loopback/, config.url)
    }
    const channel = await ChannelService.create(user, {
      kind: 'webhook',
      name: 'public',
      config: { url: 'https://hooks.example.com/x' },
    })
    // a single-label name (a compose service) passes here; delivery checks where it resolves
    await ChannelService.create(user, {
      kind: 'webhook',
      name: 'service',
      config: { url: 'http://alerts:8080/hook' },
    })
    const refused = await ChannelService.update(channel, {
      config: { url: 'http://192.168.1.10/' },
    }).then(
      () => null,
      (reason) => reason
    )
    assert.equal(refused?.messages?.[0]?.field, 'config.url')
    await channel.refresh()
    assert.equal(channel.config.url, 'https://hooks.example.com/x')
  })
})
