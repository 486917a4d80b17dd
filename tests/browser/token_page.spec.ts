import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import TokenService from '#services/tokens/token_service'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { alpineReady, makeBusyToken, recordPing, seeText } from '#tests/helpers/browser'

test.group('Admin UI: a Token page', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('shows the ping log with kind, source, exit status and duration, paginated', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeBusyToken(user, 'nightly-backup', 15)
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}`)

    const rows = page.locator('table.pings tbody tr')
    assert.equal(await rows.count(), 20)
    const newest = rows.first()
    await seeText(page, 'table.pings tbody tr >> nth=0', 'success')
    assert.include(await newest.innerText(), '203.0.113.7')
    assert.include(await newest.innerText(), 'curl/8.5.0')
    await seeText(page, 'table.pings tbody tr', '1 min')
    const failed = page.locator('table.pings tbody tr', { hasText: 'fail' })
    const exitStatus = await failed.locator('td').nth(4).innerText()
    assert.equal(exitStatus.trim(), '1')

    await page.getByRole('link', { name: 'Older pings →' }).click()
    assert.equal(await rows.count(), 11)
    await page.getByRole('link', { name: '← Newest pings' }).click()
    assert.equal(await rows.count(), 20)
  })

  test('hover times read in the reader’s time zone, with UTC beside', async ({
    browserContext,
    assert,
    cleanup,
  }) => {
    const user = await makeUser({ password: 'correct-horse' })
    const token = await makeBusyToken(user, 'nightly-backup', 2)
    const context = await browserContext.browser()!.newContext({ timezoneId: 'Asia/Tokyo' })
    cleanup(() => context.close())
    const page = await context.newPage()
    await page.goto(`http://${process.env.HOST}:${process.env.PORT}/login`)
    await page.getByLabel('Email').fill(user.email)
    await page.getByLabel('Password').fill('correct-horse')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.goto(`http://${process.env.HOST}:${process.env.PORT}/tokens/${token.uuid}`)
    const time = page.locator('table.pings time[data-localized]').first()
    await time.waitFor({ state: 'attached' })
    const title = (await time.getAttribute('title')) ?? ''
    assert.match(title, /GMT\+9/)
    assert.match(title, /\(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$/)
  })

  test('opens a Ping to read its whole body', async ({ visit, browserContext }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'db-dump' })
    await recordPing(token, { kind: 'fail', exit_status: 3, body: 'pg_dump: error: disk full' })
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}`)
    await page.getByRole('link', { name: 'View body' }).click()
    await seeText(page, 'h1', 'Ping #')
    await seeText(page, 'pre.body', 'pg_dump: error: disk full')
    await seeText(page, '.facts', '3')
  })

  test('draws the run duration and pings-over-time charts from local uPlot', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeBusyToken(user)
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}`)
    await page.locator('#chart-durations canvas').waitFor()
    await page.locator('#chart-pings canvas').waitFor()
    const data = JSON.parse((await page.locator('#chart-data').textContent())!)
    assert.lengthOf(data.durations[0], 24)
    assert.equal(
      data.counts[1].reduce((a: number, b: number) => a + b, 0),
      24
    )
  })

  test('lists the Flips, newest first', async ({ visit, browserContext }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'flappy' })
    await recordPing(token)
    await recordPing(token, { kind: 'fail' })
    await TokenService.pause(token)
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}`)
    await seeText(page, '.flips tbody tr >> nth=0', 'paused')
    await seeText(page, '.flips tbody tr >> nth=1', 'fail')
    await seeText(page, '.flips tbody tr >> nth=2', 'success')
  })

  test('shows new pings and Flips without a reload', async ({ visit, browserContext }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'live' })
    await browserContext.loginAs(user)
    await browserContext.clock.install()
    const page = await visit(`/tokens/${token.uuid}`)
    await alpineReady(page)
    await seeText(page, '.card', 'No pings yet')
    await recordPing(token, { kind: 'start' })
    await page.clock.fastForward(11_000)
    await seeText(page, 'table.pings', 'start')
    await seeText(page, '.facts .status', 'started')
    await recordPing(token)
    await page.clock.fastForward(11_000)
    await seeText(page, '.flips', 'success')
  })

  test('another user’s Token is not found, not forbidden', async ({ visit, browserContext }) => {
    const token = await makeToken(await makeUser(), { name: 'secret-job' })
    await browserContext.loginAs(await makeUser())
    const page = await visit(`/tokens/${token.uuid}`)
    await seeText(page, 'h1', 'Not found')
    const edit = await visit(`/tokens/${token.uuid}/edit`)
    await seeText(edit, 'h1', 'Not found')
    const dashboard = await visit('/dashboard')
    await seeText(dashboard, '.empty', 'No Tokens yet')
  })
})
