import { test } from '@japa/runner'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import testUtils from '@adonisjs/core/services/test_utils'
import { ANY_CHANNEL_KINDS, type AnyChannelKind } from '#services/alerts/channels/index'
import { HIDDEN, redactedConfig } from '#services/alerts/channels/redaction'
import { kindSchemaName } from '#services/api_docs/channel_schemas'
import { channelForm } from '#services/alerts/channels/form'
import ChannelService from '#services/alerts/channel_service'
import Notifier from '#services/alerts/notifier'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { deliver } from '#services/alerts/transports'
import { testMessage } from '#services/alerts/message'
import { DeliveryError } from '#services/alerts/channels/kind'
import { makeApiKey, makeUser } from '#tests/helpers/factories'
import {
  startHttpReceiver,
  startSmtpReceiver,
  allowPrivateReceivers,
  useServiceReceiver,
} from '#tests/helpers/receivers'

/**
 * Every kind in the registry, checked for being complete: a kind that
 * misses a part (a schema field, a form field, a secret in its example, a
 * way to reach a receiver) fails here by name, whatever kind it is.
 */
const kinds = [...ANY_CHANNEL_KINDS]
const propertiesOf = (kind: AnyChannelKind) => Object.keys(kind.config.getProperties()).sort()

test.group('Channel kinds: each one complete', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(allowPrivateReceivers)

  test('{name}: its validator accepts its example')
    .with(kinds)
    .run(async ({ assert }, kind) => {
      const valid = await ChannelService.validConfig(kind.name, kind.example)
      assert.deepEqual(valid, kind.example as Record<string, unknown>)
    })

  test('{name}: redaction hides every secret of its example')
    .with(kinds)
    .run(({ assert }, kind) => {
      const example = kind.example as Record<string, unknown>
      const redacted = redactedConfig(kind.name, example)
      for (const [field, mode] of Object.entries(kind.secrets)) {
        assert.property(example, field, `the example holds the secret ${field}`)
        const shown = redacted[field]
        if (mode === 'whole') {
          assert.equal(shown, HIDDEN, field)
        } else if (mode === 'values') {
          const values = Object.values(shown as Record<string, string>)
          assert.isNotEmpty(values, field)
          assert.deepEqual(
            values,
            values.map(() => HIDDEN),
            field
          )
        } else {
          const url = new URL(shown as string)
          assert.oneOf(url.pathname, ['/', '/%E2%80%A6'], field)
          assert.equal(url.search, '', field)
        }
      }
    })

  test('{name}: the document lists it with a schema of its fields')
    .with(kinds)
    .run(async ({ client, assert }, kind) => {
      const document = await client.get('/api/v1/openapi.json')
      const { schemas } = document.body().components
      assert.include(schemas.Channel.properties.kind.enum, kind.name)
      assert.include(schemas.ChannelInput.properties.kind.enum, kind.name)
      const own = schemas[kindSchemaName(kind.name)]
      assert.exists(own, kindSchemaName(kind.name))
      assert.deepEqual(Object.keys(own.properties).sort(), propertiesOf(kind))
      for (const field of Object.keys(own.properties)) {
        assert.property(schemas.ChannelConfig.properties, field)
        assert.property(schemas.ChannelConfigAnswer.properties, field)
      }
      const ajv = new Ajv2020({ strict: false })
      addFormats.default(ajv)
      const validate = ajv.compile({ ...own, unevaluatedProperties: false })
      assert.isTrue(validate(kind.example), JSON.stringify(validate.errors))
    })

  test('{name}: the API takes its example and answers as the document says')
    .with(kinds)
    .run(async ({ client, assert }, kind) => {
      // Each answer here is checked against the served document (tests/bootstrap.ts).
      const user = await makeUser()
      const writer = await makeApiKey(user)
      const reader = await makeApiKey(user, 'read-only')
      const input = { kind: kind.name, name: 'k', config: kind.example }
      const created = await client.post('/api/v1/channels').bearerToken(writer).json(input)
      created.assertStatus(201)
      assert.deepEqual(created.body().data.config, kind.example)
      const seen = await client
        .get(`/api/v1/channels/${created.body().data.id}`)
        .bearerToken(reader)
      seen.assertStatus(200)
      assert.deepEqual(seen.body().data.config, redactedConfig(kind.name, kind.example))
    })

  test('{name}: the form lists it and has an input for each field')
    .with(kinds)
    .run(async ({ client, assert }, kind) => {
      const page = await client.get('/channels/new').loginAs(await makeUser())
      const html = page.text()
      assert.include(html, `<option value="${kind.name}"`)
      assert.include(html, `>${kind.label}</option>`)
      assert.deepEqual(kind.form.fields.map((field) => field.name).sort(), propertiesOf(kind))
      for (const field of kind.form.fields) {
        assert.include(html, `name="config[${field.name}]"`, field.name)
        assert.include(html, `>${field.label}`, field.name)
      }
    })

  test('{name}: its edit form shows its own fields, each with its error beside it')
    .with(kinds)
    .run(async ({ client, assert }, kind) => {
      const user = await makeUser()
      const config = kind.example
      const channel = await ChannelService.create(user, { kind: kind.name, name: 'k', config })
      const fields = channelForm().fields.filter((field) => field.kinds.includes(kind.name))
      const errors = Object.fromEntries(fields.map((field) => [`config.${field.name}`, ['bad']]))
      const page = await client
        .get(`/channels/${channel.id}/edit`)
        .loginAs(user)
        .withFlashMessages({ inputErrorsBag: errors })
      const html = page.text()
      for (const field of fields) {
        // Shown without script too: x-cloak hides only the other kinds' fields.
        const opening = new RegExp(`<div class="field"[^>]*>\\s*<label for="${field.id}"`)
        const div = html.match(opening)?.[0]
        assert.exists(div, field.id)
        assert.notInclude(div!, 'x-cloak', field.id)
        assert.include(html, `id="${field.id}-error">bad</p>`, field.id)
      }
    })

  test('{name}: a test notification reaches a local receiver')
    .with(kinds)
    .run(async ({ assert }, kind) => {
      const user = await makeUser()
      if (kind.reaches === 'mail') {
        const smtp = await startSmtpReceiver()
        try {
          const config = kind.example
          const channel = await ChannelService.create(user, { kind: kind.name, name: 'k', config })
          assert.deepEqual(await Notifier.sendTest(channel), { ok: true })
          assert.lengthOf(smtp.mails, 1)
          assert.include(smtp.mails[0].data, 'Test notification')
        } finally {
          await smtp.close()
        }
        return
      }
      const receiver = await startHttpReceiver()
      // A kind with a service host of its own is sent there through CHANNEL_API_BASE_URLS.
      const restore = kind.hosts ? useServiceReceiver(kind.hosts, receiver.url) : () => {}
      try {
        const config = kind.hosts
          ? kind.example
          : { ...kind.example, url: `${receiver.url}/${kind.name}` }
        const channel = await ChannelService.create(user, { kind: kind.name, name: 'k', config })
        assert.deepEqual(await Notifier.sendTest(channel), { ok: true })
        assert.lengthOf(receiver.requests, 1)
        assert.include(receiver.requests[0].body, 'Test notification')
      } finally {
        restore()
        await receiver.close()
      }
    })

  test('{name}: a 4xx refusal is not retried, a 429 waits its Retry-After, a 5xx is retried')
    .with(kinds.filter((kind) => kind.reaches === 'http'))
    .run(async ({ assert }, kind) => {
      // The delivery policy lives in expectOk: every HTTP kind must answer through it.
      let answer = { status: 200, headers: {} as Record<string, string> }
      const server = createServer((req, res) => {
        req.resume()
        req.on('end', () => res.writeHead(answer.status, answer.headers).end('{}'))
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const restore = kind.hosts ? useServiceReceiver(kind.hosts, url) : () => {}
      const config = kind.hosts ? kind.example : { ...kind.example, url: `${url}/${kind.name}` }
      const channel = await ChannelService.create(await makeUser(), {
        kind: kind.name,
        name: 'k',
        config,
      })
      const failure = async () => {
        try {
          await deliver(channel, testMessage(), { allowPrivate: true })
        } catch (error) {
          return error
        }
        assert.fail(`${kind.name} took a ${answer.status} as delivered`)
      }
      try {
        answer = { status: 404, headers: {} }
        const refused = await failure()
        assert.instanceOf(refused, DeliveryError)
        assert.isTrue((refused as DeliveryError).permanent, 'a 404 is permanent')
        answer = { status: 429, headers: { 'retry-after': '7' } }
        const limited = (await failure()) as DeliveryError
        assert.instanceOf(limited, DeliveryError)
        assert.isFalse(limited.permanent)
        assert.equal(limited.retryAfterMs, 7000)
        answer = { status: 503, headers: {} }
        const broken = (await failure()) as DeliveryError
        assert.instanceOf(broken, DeliveryError)
        assert.isFalse(broken.permanent)
        assert.isUndefined(broken.retryAfterMs)
      } finally {
        restore()
        await new Promise((resolve) => server.close(resolve))
      }
    })
})
