import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { alpineReady, recordPing, seeText } from '#tests/helpers/browser'

test.group('Admin UI: a Token page keeps its parts true', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('pings within one minute chart on an axis of minutes, not years', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'fresh' })
    await recordPing(token, { kind: 'start' })
    await recordPing(token)
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}`)
    const chart = page.locator('#chart-pings')
    await chart.locator('canvas').waitFor()
    const from = Number(await chart.getAttribute('data-from'))
    const to = Number(await chart.getAttribute('data-to'))
    const now = Date.now() / 1000
    assert.isAtMost(to - from, 3600)
    assert.isAtLeast(to - from, 60)
    assert.isAtMost(Math.abs(now - from), 3600)
    const durations = page.locator('#chart-durations')
    await durations.locator('canvas').waitFor()
    const runFrom = Number(await durations.getAttribute('data-from'))
    const runTo = Number(await durations.getAttribute('data-to'))
    assert.isAtMost(runTo - runFrom, 3600)
  })

  test('the charts follow the ping log as it refreshes itself', async ({
    visit,
    browserContext,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'live-charts' })
    await browserContext.loginAs(user)
    await browserContext.clock.install()
    const page = await visit(`/tokens/${token.uuid}`)
    await alpineReady(page)
    await seeText(page, '#chart-pings', 'No pings yet')
    await recordPing(token, { kind: 'start' })
    await recordPing(token)
    await page.clock.fastForward(11_000)
    await seeText(page, 'table.pings', 'success')
    await page.locator('#chart-pings canvas').waitFor({ timeout: 5000 })
    await page.locator('#chart-durations canvas').waitFor({ timeout: 5000 })
    await seeText(page, '#charts-title', 'last 2 pings')
  })

  test('a Token that is down says so where it would say when it goes down', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'broken' })
    await recordPing(token, { kind: 'fail' })
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}`)
    const goesDown = page.locator('.facts > div', { hasText: 'Goes down' }).locator('dd')
    const text = await goesDown.innerText()
    assert.equal(text.trim(), 'it is down already')
  })

  test('the empty ping log points up to the curl lines above it', async ({
    visit,
    browserContext,
    assert,
  }) => {
    const user = await makeUser()
    const token = await makeToken(user, { name: 'quiet' })
    await browserContext.loginAs(user)
    const page = await visit(`/tokens/${token.uuid}`)
    const hint = page.locator('section[aria-labelledby="log-title"] p')
    assert.include(await hint.innerText(), 'the curl line above')
    const usage = await page.locator('pre', { hasText: 'curl' }).first().boundingBox()
    const log = await hint.boundingBox()
    assert.isBelow(usage!.y, log!.y)
  })
})
