/**
 * The API's one error shape, `{ errors: [...] }`: the exception handler
 * answers it, the document describes it from here.
 */
export interface ApiError {
  code: string
  message: string
  field?: string
}

/** The `code` of each error status the API answers */
export const ERROR_CODES: Record<number, string> = {
  400: 'E_BAD_REQUEST',
  401: 'E_UNAUTHORIZED',
  403: 'E_FORBIDDEN',
  404: 'E_NOT_FOUND',
  405: 'E_METHOD_NOT_ALLOWED',
  409: 'E_CONFLICT',
  413: 'E_PAYLOAD_TOO_LARGE',
  415: 'E_UNSUPPORTED_MEDIA_TYPE',
  422: 'E_VALIDATION_ERROR',
  429: 'E_TOO_MANY_REQUESTS',
}

/** Any server error, whatever its cause */
export const INTERNAL_ERROR_CODE = 'E_INTERNAL'

const errorFields: { [Field in keyof ApiError]-?: Record<string, unknown> } = {
  code: { type: 'string', enum: [...Object.values(ERROR_CODES), INTERNAL_ERROR_CODE] },
  message: { type: 'string' },
  field: { type: 'string' },
}

/** The document's Errors */
export const apiErrorsSchema = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      items: { type: 'object', required: ['code', 'message'], properties: errorFields },
    },
  },
}
