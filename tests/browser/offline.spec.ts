import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { makeApiKey, makeChannel, makeToken, makeUser } from '#tests/helpers/factories'
import { flushRedis } from '#tests/helpers/redis'
import { makeBusyToken, seeText, watchOffMachineRequests } from '#tests/helpers/browser'

test.group('Admin UI: pages served from this machine', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => flushRedis())

  test('no page requests anything from another host', async ({ visit, browserContext, assert }) => {
    const offMachine = watchOffMachineRequests(browserContext)
    const seen: string[] = []
    browserContext.on('request', (request) => seen.push(new URL(request.url()).pathname))
    const login = await visit('/login')
    await seeText(login, 'h1', 'Sign in')

    const admin = await makeUser({ isAdmin: true })
    const token = await makeBusyToken(admin)
    const channel = await makeChannel(admin, 'Hook')
    await makeApiKey(admin)
    await makeToken(admin, { name: 'cron', kind: 'cron', schedule: '0 3 * * *' })
    await browserContext.loginAs(admin)
    const withBody = await token.related('pings').query().whereNotNull('body').firstOrFail()
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
      '/users',
      '/account',
      '/no-such-page',
      '/docs/api',
    ]
    const page = await visit('/dashboard')
    for (const path of pages) {
      await page.goto(path)
    }
    await page.waitForLoadState('networkidle')
    assert.deepEqual(offMachine, [])
    assert.includeMembers(seen, ['/app.css', '/app.js', '/vendor/alpine.js', '/vendor/uplot.js'])
  })

  test('a missing page answers 404 in the app’s own layout', async ({ visit, browserContext }) => {
    await browserContext.loginAs(await makeUser())
    const page = await visit('/tokens/00000000-0000-4000-8000-000000000000')
    await seeText(page, 'h1', 'Not found')
    await seeText(page, 'header.topbar', 'Sign out')
    const unknown = await visit('/no-such-page')
    await seeText(unknown, 'h1', 'Not found')
    await seeText(unknown, 'a.brand', 'ngip')
  })
})
