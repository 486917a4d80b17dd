import vine from '@vinejs/vine'

const name = () => vine.string().trim().minLength(1).maxLength(100)

export const projectNameValidator = vine.create({ name: name() })

export const switchProjectValidator = vine.create({ project_id: vine.number().withoutDecimals() })

export const inviteValidator = vine.create({
  email: vine.string().trim().email().maxLength(254),
  role: vine.enum(['manager', 'read-only'] as const),
})

export const memberRoleValidator = vine.create({
  role: vine.enum(['manager', 'read-only'] as const),
})

export const transferValidator = vine.create({ user_id: vine.number().withoutDecimals() })
