import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import type Channel from '#models/channel'
import type Token from '#models/token'
import FlipDispatcher from '#services/flip_dispatcher'
import ChannelService from '#services/channel_service'
import TokenService from '#services/token_service'
import PingService from '#services/ping_service'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { startHttpReceiver, startSmtpReceiver } from '#tests/helpers/receivers'
import { decodeEncodedWords, mailHeader } from '#tests/helpers/mime'

/** Names that once broke a notification: outside Latin-1, quotes, escapes, a newline */
const NAMES = ['Бэкап базы', 'nightly 🚀 backup', 'say "hi"', 'C:\\backups', 'two\nlines']

async function failToken(token: Token, ...channels: Channel[]) {
  await TokenService.update(token, { channels: channels.map((channel) => channel.id) })
  await PingService.record(
    token,
    { token: token.uuid, kind: 'fail' },
    { method: 'API', remoteAddr: '', userAgent: '' }
  )
  return new FlipDispatcher().runOnce()
}

test.group('Alerts: Token names in any script', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())
  group.each.setup(() => {
    const previous = app.config.get('ngip.integrationsAllowPrivateIps')
    app.config.set('ngip.integrationsAllowPrivateIps', true)
    return () => app.config.set('ngip.integrationsAllowPrivateIps', previous)
  })

  test('a name with emoji, Cyrillic, quotes or a newline reaches every Channel kind intact', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    const smtp = await startSmtpReceiver()
    try {
      const user = await makeUser()
      const make = (kind: string, config: Record<string, unknown>) =>
        ChannelService.create(user, { kind: kind as 'webhook', name: kind, config })
      const channels = [
        await make('webhook', {
          url: `${receiver.url}/hook?name=$NAME`,
          headers: { 'X-Title': '$NAME is $STATUS', 'X-Static': 'plain' },
        }),
        await make('slack', { url: `${receiver.url}/slack` }),
        await make('ntfy', { url: `${receiver.url}/ntfy/`, topic: 'ops', token: 'tk_abc' }),
        await make('email', { to: 'ops@example.com' }),
      ]
      for (const [index, name] of NAMES.entries()) {
        const token = await makeToken(user, { name })
        assert.equal(await failToken(token, ...channels), channels.length, name)
        for (const channel of channels) {
          await channel.refresh()
          assert.isNull(channel.lastError, `${channel.kind}: ${name}`)
        }
        const sent = receiver.requests.slice(index * 3)
        const hook = sent.find((request) => request.url.startsWith('/hook'))!
        assert.equal(decodeURIComponent(hook.url.split('=')[1]), name)
        assert.equal(decodeEncodedWords(String(hook.headers['x-title'])), `${name} is down`)
        assert.equal(hook.headers['x-static'], 'plain')
        assert.equal(JSON.parse(hook.body).name, name)
        const slack = sent.find((request) => request.url === '/slack')!
        assert.include(JSON.parse(slack.body).text, `${name} is DOWN`)
        const ntfy = sent.find((request) => request.url.startsWith('/ntfy'))!
        assert.equal(ntfy.url, '/ntfy/')
        assert.equal(ntfy.headers.authorization, 'Bearer tk_abc')
        assert.containSubset(JSON.parse(ntfy.body), {
          topic: 'ops',
          title: `${name} is DOWN`,
          priority: 4,
          tags: ['rotating_light'],
        })
        assert.include(JSON.parse(ntfy.body).message, `${name} is DOWN`)
        const subject = decodeEncodedWords(mailHeader(smtp.mails[index].data, 'subject') ?? '')
        // a mail header is one line: a newline in a name becomes a space
        assert.equal(subject, `${name.replace('\n', ' ')} is DOWN`)
      }
      assert.lengthOf(receiver.requests, NAMES.length * 3)
    } finally {
      await Promise.all([receiver.close(), smtp.close()])
    }
  })
})
