import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeApiKey, makeChannel, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { alpineReady, makeBusyToken } from '#tests/helpers/browser'
import { PHONE, midWordBreaks, phoneProblems } from '#tests/helpers/phone'

/** Text that must never break inside a word: emails, ping URLs, curl lines. */
const UNBROKEN = [
  'code.ping-url',
  '.snippet pre',
  '.copy-line code',
  'td.email',
  'td.owner',
  '.signout a',
  '.facts dd',
  'h1',
].join(', ')

test.group('Admin UI: on a phone (390 px)', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('every page fits the screen: no sideways scroll, nothing hidden or clipped', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const admin = await makeUser({ isAdmin: true, email: 'operations.team@example.com' })
    const token = await makeBusyToken(admin)
    await makeToken(admin, { name: 'weekly-reports-for-the-finance-team', tags: ['reports'] })
    const channel = await makeChannel(admin, 'Ops webhook')
    channel.lastError = 'HTTP 503 from https://hooks.example.com/ngip: Service Unavailable'
    await channel.save()
    await makeApiKey(admin)
    await makeUser({ email: 'someone.with.a.long.name@example.com' })
    const withBody = await token.related('pings').query().whereNotNull('body').firstOrFail()
    await browserContext.loginAs(admin)
    const page = await visit('/dashboard')
    await page.setViewportSize(PHONE)

    const pages = [
      '/dashboard',
      `/tokens/${token.uuid}`,
      `/tokens/${token.uuid}/edit`,
      '/tokens/new',
      `/pings/${withBody.id}`,
      '/channels',
      '/channels/new',
      `/channels/${channel.id}/edit`,
      '/api-keys',
      '/account',
      '/project',
      '/users',
    ]
    for (const path of pages) {
      await page.goto(path)
      await alpineReady(page)
      const { scrollWidth, problems } = await phoneProblems(page)
      assert.isAtMost(scrollWidth, PHONE.width, `${path} scrolls sideways`)
      assert.deepEqual(problems, [], path)
      assert.deepEqual(await midWordBreaks(page, UNBROKEN), [], path)
    }
  })

  test('the ping log shows method, exit status, duration and a body opener', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeBusyToken(user)
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}`)
    await page.setViewportSize(PHONE)
    const failed = page.locator('table.pings tbody tr', { hasText: 'fail' }).first()
    for (const [label, text] of [
      ['Method', 'GET'],
      ['Exit status', '1'],
      ['Duration', ''],
    ]) {
      const cell = failed.locator(`td[data-label="${label}"]`)
      assert.isTrue(await cell.isVisible(), label)
      assert.include(await cell.innerText(), text, label)
    }
    const opener = failed.getByRole('link', { name: 'View body' })
    assert.isTrue(await opener.isVisible())
    const box = await opener.boundingBox()
    assert.isAtMost(box!.x + box!.width, PHONE.width)
    await opener.click()
    await page.locator('pre.body').waitFor()
  })

  test('the Users buttons show their whole labels, and a Channel’s error reads in lines', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const admin = await makeUser({ isAdmin: true })
    await makeUser({ email: 'someone.with.a.long.name@example.com' })
    const channel = await makeChannel(admin, 'Ops webhook')
    channel.lastError = 'HTTP 503 from https://hooks.example.com/ngip: Service Unavailable'
    await channel.save()
    await browserContext.loginAs(admin)
    const page = await visit('/users')
    await page.setViewportSize(PHONE)
    const row = page.locator('tr', { hasText: 'someone.with.a.long.name@example.com' })
    for (const label of ['Make admin', 'Disable', 'Delete']) {
      const button = row.getByRole('button', { name: label, exact: false }).first()
      const text = await button.innerText()
      assert.equal(text.trim(), label)
      const fits = await button.evaluate(
        (element) => element.scrollWidth <= element.clientWidth && element.clientHeight < 40
      )
      assert.isTrue(fits, `${label} is clipped or wraps`)
    }
    await page.goto('/channels')
    // Its own Channel's error: an admin sees every User's Channels.
    const error = page.locator('td.last-error', {
      hasText: 'HTTP 503 from https://hooks.example.com',
    })
    const box = await error.boundingBox()
    assert.isAtLeast(box!.width, 180)
    assert.isAtMost(box!.height, 80)
  })
})
