import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#models/user'
import UserAdminService from '#services/user_admin_service'
import { makeUser } from '#tests/helpers/factories'

test.group('User administration', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('an admin cannot delete themselves, nor a User who does not exist', async ({ assert }) => {
    const admin = await makeUser({ isAdmin: true })
    assert.deepEqual(await UserAdminService.remove(admin, String(admin.id)), {
      ok: false,
      error: 'self',
    })
    assert.deepEqual(await UserAdminService.remove(admin, '999999999'), {
      ok: false,
      error: 'not_found',
    })
    assert.deepEqual(await UserAdminService.remove(admin, '1 OR 1=1'), {
      ok: false,
      error: 'not_found',
    })
    assert.isNotNull(await User.find(admin.id))
  })

  test('a non-admin’s crafted delete answers 404 and deletes nothing', async ({
    client,
    assert,
  }) => {
    const user = await makeUser()
    const victim = await makeUser()
    const response = await client
      .delete(`/users/${victim.id}`)
      .loginAs(user)
      .withCsrfToken()
      .redirects(0)
    response.assertStatus(404)
    assert.isNotNull(await User.find(victim.id))
  })
})
