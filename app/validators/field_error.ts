import { errors } from '@vinejs/vine'

/**
 * A validation failure found after the validator ran (it needed the
 * database), reported like any other: 422 with the field named.
 */
export function fieldError(field: string, message: string, rule: string) {
  return new errors.E_VALIDATION_ERROR([{ field, message, rule }])
}
