import { test } from '@japa/runner'
import { emailPingBody, parseEmailRecipient, splitEmailPingBody } from '#lib/email_ping'

const UUID = '0f4c5a1e-9d2b-4c7e-8a3f-1b2c3d4e5f60'
const KEY = 'Abc_-123xyzXYZ0987654z'
const DOMAIN = 'ping.example.com'

const uuid = (action: string) => ({ target: { kind: 'uuid', uuid: UUID }, action })
const slug = (name: string, action: string) => ({
  target: { kind: 'slug', pingKey: KEY, slug: name },
  action,
})

test.group('Email ping addresses', () => {
  test('{0} is {1}')
    .with([
      [`${UUID}@${DOMAIN}`, uuid('success')],
      [`${UUID.toUpperCase()}@PING.Example.com`, uuid('success')],
      [`${UUID}+start@${DOMAIN}`, uuid('start')],
      [`${UUID}+fail@${DOMAIN}`, uuid('fail')],
      [`${UUID}+FAIL@${DOMAIN}`, uuid('fail')],
      [`${UUID}+log@${DOMAIN}`, uuid('log')],
      [`${KEY}+backup@${DOMAIN}`, slug('backup', 'success')],
      [`${KEY}+backup+fail@${DOMAIN}`, slug('backup', 'fail')],
      [`${UUID}@other.example.com`, null],
      [`${UUID}+snooze@${DOMAIN}`, null],
      [`${UUID}+0@${DOMAIN}`, null],
      [`${UUID}+fail+fail@${DOMAIN}`, null],
      [`${KEY}@${DOMAIN}`, null],
      [`${KEY}+Backup@${DOMAIN}`, null],
      [`${KEY}+backup+reboot@${DOMAIN}`, null],
      [`not a key+backup@${DOMAIN}`, null],
      [`@${DOMAIN}`, null],
      [DOMAIN, null],
    ] as const)
    .run(({ assert }, [address, expected]) => {
      assert.deepEqual(parseEmailRecipient(address, DOMAIN), expected)
    })
})

test.group('Email ping bodies', () => {
  test('hold the subject on its own line, then the text, and split back', ({ assert }) => {
    const body = emailPingBody('Backup\r\nOK', 'done\n', 1000).toString()
    assert.equal(body, 'Subject: Backup OK\r\n\r\ndone\n')
    assert.deepEqual(splitEmailPingBody(body), { subject: 'Backup OK', text: 'done\n' })
  })

  test('are cut to the limit, the subject first', ({ assert }) => {
    const body = emailPingBody('Nightly', 'x'.repeat(100), 30)
    assert.equal(body.length, 30)
    assert.deepEqual(splitEmailPingBody(body.toString()), {
      subject: 'Nightly',
      text: 'x'.repeat(10),
    })
    assert.deepEqual(splitEmailPingBody('Subject: only the subj'), {
      subject: 'only the subj',
      text: '',
    })
    assert.deepEqual(splitEmailPingBody('no subject here'), {
      subject: '',
      text: 'no subject here',
    })
  })
})
