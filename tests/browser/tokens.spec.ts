import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import Token from '#models/token'
import { makeChannel, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { alpineReady, seeText } from '#tests/helpers/browser'

test.group('Admin UI: create, edit, pause, resume and delete a Token', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('creates a Token and lands on its page with ready-to-paste lines', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    await browserContext.loginAs(user)
    const page = await visit('/dashboard')
    await page.getByRole('link', { name: 'Create your first Token' }).click()
    await page.getByLabel('Name').fill('DB backup')
    await page.getByLabel('Tags').fill('prod db')
    await page.getByLabel('Period', { exact: true }).fill('2')
    await page.getByLabel('Period unit').selectOption('hours')
    await page.getByLabel('Grace time', { exact: true }).fill('15')
    await page.getByLabel('Grace time unit').selectOption('minutes')
    await page.getByRole('button', { name: 'Create Token' }).click()

    await seeText(page, '[role=status]', 'Token "DB backup" created')
    const token = await Token.findByOrFail('name', 'DB backup')
    assert.equal(token.timeout, 7200)
    assert.equal(token.grace, 900)
    assert.deepEqual(token.tags, ['prod', 'db'])
    await page.assertPath(`/tokens/${token.uuid}`)
    await seeText(page, '#curl-line', `curl -fsS -m 10 --retry 5 `)
    await seeText(page, '#curl-line', `/ping/${token.uuid}`)
    await seeText(page, '.usage', '/start?rid=$RID')
    await seeText(page, '.usage', '0 */2 * * * your-command')
  })

  test('sets the run rules on the form, each with its explanation', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Sync' })
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}/edit`)
    await seeText(page, '#max_runtime-hint', 'has not ended within this time goes down')
    await page.getByLabel('Maximum run time', { exact: true }).fill('20')
    await page.getByLabel('Maximum run time unit').selectOption('minutes')
    await page.getByLabel('Minimum duration', { exact: true }).fill('30')
    await page.getByLabel('Minimum duration unit').selectOption('seconds')
    await page.getByLabel('Failures before down').fill('3')
    await page.getByRole('button', { name: 'Save' }).click()

    await seeText(page, '[role=status]', 'Token "Sync" saved')
    await token.refresh()
    assert.equal(token.maxRuntime, 1200)
    assert.isNull(token.minInterval)
    assert.equal(token.minDuration, 30)
    assert.equal(token.failThreshold, 3)
    await seeText(page, '.facts', 'runs at most 20 min, runs last at least 30 s')
    await seeText(page, '.facts', '0 of 3 failures')
  })

  test('sets the ping filters on the form, with their explanation', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Mailer' })
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}/edit`)
    await seeText(page, '#methods-hint', 'GET and HEAD pings')
    await page.getByLabel('HTTP methods').selectOption('POST')
    await page.getByLabel("Look for keywords in the ping's body").check()
    await page.getByLabel('Failure keywords').fill('error, fatal')
    await page.getByRole('button', { name: 'Save' }).click()

    await seeText(page, '[role=status]', 'Token "Mailer" saved')
    await token.refresh()
    assert.equal(token.methods, 'POST')
    assert.isTrue(token.filterBody)
    assert.isFalse(token.filterSubject)
    assert.equal(token.failureKw, 'error, fatal')
    const again = await visit(`/tokens/${token.uuid}/edit`)
    await again.assertInputValue('#failure_kw', 'error, fatal')
  })

  test('shows validation messages next to the fields and keeps the input', async ({
    visit,
    browserContext,
    assert,
  }) => {
    await browserContext.loginAs(await makeUser())
    const page = await visit('/tokens/new')
    await page.getByLabel('Name').fill('Nightly')
    await page.getByRole('radio', { name: 'On a cron schedule' }).check()
    await page.getByLabel('Cron expression').fill('61 * * *')
    await page.getByLabel('Time zone').fill('Mars/Olympus')
    await page.getByRole('button', { name: 'Create Token' }).click()

    await page.assertPath('/tokens/new')
    await seeText(
      page,
      '#schedule-error',
      'The cron expression must be a valid 5-field cron expression'
    )
    await seeText(page, '#tz-error', 'Enter an IANA time zone')
    await page.assertInputValue('#name', 'Nightly')
    await page.assertInputValue('#schedule', '61 * * *')
    assert.isNull(await Token.findBy('name', 'Nightly'))
  })

  test('previews the next five runs of a cron schedule in its time zone while typing', async ({
    visit,
    browserContext,
  }) => {
    await browserContext.loginAs(await makeUser())
    const page = await visit('/tokens/new')
    await alpineReady(page)
    await page.getByRole('radio', { name: 'On a cron schedule' }).check()
    await page.locator('#tz').fill('Asia/Tokyo')
    await page.locator('#schedule').fill('30 4 * * 1')
    await page.assertElementsCount('.runs li', 5)
    await seeText(page, '.runs li >> nth=0', 'Mon')
    await seeText(page, '.runs li >> nth=0', '04:30')
    await page.locator('#schedule').fill('30 4 *')
    await seeText(page, '.preview', 'The cron expression must be a valid 5-field cron expression')
    await page.locator('#schedule').fill('0 0 31 2 *')
    await seeText(page, '.preview', 'The cron expression never fires')
  })

  test('previews an OnCalendar schedule, says why one is refused, and saves it', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    await browserContext.loginAs(user)
    const page = await visit('/tokens/new')
    await alpineReady(page)
    await page.locator('#name').fill('Weekday report')
    await page.getByRole('radio', { name: 'On a systemd OnCalendar schedule' }).check()
    await page.locator('#tz').fill('Europe/Paris')
    await page.locator('#schedule').fill('Mon..Fri 25:00')
    await seeText(
      page,
      '.preview',
      'The OnCalendar expression is not a valid OnCalendar expression'
    )
    await page.locator('#schedule').fill('Mon..Fri 07:45')
    await page.assertElementsCount('.runs li', 5)
    await seeText(page, '.runs li >> nth=0', '07:45')
    await page.getByRole('button', { name: 'Create Token' }).click()
    await seeText(page, '[role=status]', 'Weekday report')
    const token = await Token.findByOrFail('name', 'Weekday report')
    assert.equal(token.kind, 'oncalendar')
    assert.equal(token.schedule, 'Mon..Fri 07:45')
    assert.equal(token.tz, 'Europe/Paris')
  })

  test('edits the schedule, grace and Channels of a Token', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const channel = await makeChannel(user, 'Ops webhook')
    const token = await makeToken(user, { name: 'Reports' })
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}/edit`)
    await page.getByRole('radio', { name: 'On a cron schedule' }).check()
    await page.locator('#schedule').fill('0 6 * * *')
    await page.locator('#tz').fill('Europe/Paris')
    await page.getByLabel('Ops webhook').check()
    await page.getByRole('button', { name: 'Save' }).click()

    await seeText(page, '[role=status]', 'Token "Reports" saved')
    await token.refresh()
    await token.load('channels')
    assert.equal(token.kind, 'cron')
    assert.equal(token.schedule, '0 6 * * *')
    assert.equal(token.tz, 'Europe/Paris')
    assert.deepEqual(
      token.channels.map((c) => c.id),
      [channel.id]
    )
    await seeText(page, '.facts', '0 6 * * * (Europe/Paris)')
  })

  test('a background request landing between a save and its page leaves the message to the page', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Reports' })
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}/edit`)
    const origin = new URL(page.url()).origin
    // The form's schedule preview and the live refresh land after the save, before its page.
    let between = 0
    await page.route(`${origin}/tokens/${token.uuid}?_method=PUT`, async (route) => {
      const saved = await route.fetch({ maxRedirects: 0 })
      for (const path of [
        '/schedule/preview?schedule=0+6+*+*+*&tz=UTC',
        `/tokens/${token.uuid}/live`,
      ]) {
        const response = await page.request.get(`${origin}${path}`, { maxRedirects: 0 })
        between += response.ok() ? 1 : 0
      }
      await route.fulfill({ response: saved })
    })
    await page.getByRole('button', { name: 'Save' }).click()
    await seeText(page, '[role=status]', 'Token "Reports" saved')
    assert.equal(between, 2)
  })

  test('pauses and resumes a Token, each writing a Flip', async ({ visit, browserContext }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Sync' })
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}`)
    await page.getByRole('button', { name: 'Pause' }).click()
    await seeText(page, '[role=status]', 'paused')
    await seeText(page, '.facts .status', 'paused')
    await page.getByRole('button', { name: 'Resume' }).click()
    await seeText(page, '[role=status]', 'Token "Sync" resumed')
    await seeText(page, '.flips', 'resumed')
    await seeText(page, '.flips', 'paused')
  })

  test('deletes a Token only after confirming', async ({ visit, browserContext, assert }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'Old job' })
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}`)
    await alpineReady(page)
    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
    assert.isNotNull(await Token.find(token.id))

    await page.getByRole('button', { name: 'Delete', exact: true }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete Token' }).click()
    await page.assertPath('/dashboard')
    await seeText(page, '[role=status]', 'Token "Old job" deleted')
    assert.isNull(await Token.find(token.id))
  })
})
