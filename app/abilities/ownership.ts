import type User from '#models/user'

/**
 * The one rule behind every policy: a user reaches only their own rows; an
 * admin reaches all.
 */
export function ownsOrAdmin(user: User, row: { userId: number }) {
  return user.isAdmin || row.userId === user.id
}
