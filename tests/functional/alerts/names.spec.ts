import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import type Channel from '#models/channel'
import type Token from '#models/token'
import FlipDispatcher from '#services/alerts/flip_dispatcher'
import ChannelService from '#services/alerts/channel_service'
import TokenService from '#services/tokens/token_service'
import PingService from '#services/tokens/ping_service'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import {
  startHttpReceiver,
  startSmtpReceiver,
  allowPrivateReceivers,
} from '#tests/helpers/receivers'
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
  group.each.setup(allowPrivateReceivers)

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

  test('a JSON body template goes out as JSON with every value escaped, unasked', async ({
    assert,
  }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const hook = await ChannelService.create(user, {
        kind: 'webhook',
        name: 'json',
        config: {
          url: receiver.url,
          body: '{"text": "$NAME went $STATUS", "name": $NAME, "list": ["$TAGS", $EXIT_STATUS]}',
        },
      })
      for (const name of NAMES) {
        await failToken(await makeToken(user, { name, tags: ['a"b', 'c\\d'] }), hook)
      }
      assert.lengthOf(receiver.requests, NAMES.length)
      for (const [index, name] of NAMES.entries()) {
        const request = receiver.requests[index]
        assert.equal(request.headers['content-type'], 'application/json')
        assert.deepEqual(JSON.parse(request.body), {
          text: `${name} went down`,
          name,
          list: ['a"b c\\d', ''],
        })
      }
    } finally {
      await receiver.close()
    }
  })

  test('a text template stays text; a Content-Type set by the user is kept', async ({ assert }) => {
    const receiver = await startHttpReceiver()
    try {
      const user = await makeUser()
      const text = await ChannelService.create(user, {
        kind: 'webhook',
        name: 'text',
        config: { url: `${receiver.url}/text`, body: '$NAME is {$STATUS}' },
      })
      const typed = await ChannelService.create(user, {
        kind: 'webhook',
        name: 'typed',
        config: {
          url: `${receiver.url}/typed`,
          headers: { 'Content-Type': 'application/vnd.alert+json' },
          body: '[{"who": "$NAME"}]',
        },
      })
      await failToken(await makeToken(user, { name: 'say "hi"' }), text, typed)
      const byPath = Object.fromEntries(receiver.requests.map((request) => [request.url, request]))
      assert.equal(byPath['/text'].headers['content-type'], 'text/plain; charset=utf-8')
      assert.equal(byPath['/text'].body, 'say "hi" is {down}')
      assert.equal(byPath['/typed'].headers['content-type'], 'application/vnd.alert+json')
      assert.deepEqual(JSON.parse(byPath['/typed'].body), [{ who: 'say "hi"' }])
    } finally {
      await receiver.close()
    }
  })
})
