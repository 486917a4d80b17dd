import type User from '#models/user'
import { Bouncer } from '@adonisjs/bouncer'

/**
 * Only admins manage users.
 */
export const manageUsers = Bouncer.ability((user: User) => user.isAdmin)
