import vine from '@vinejs/vine'
import { text } from '#validators/rules'

export const signInValidator = vine.create({
  email: text().trim().email().maxLength(254),
  password: vine.string().minLength(1).maxLength(200),
})
