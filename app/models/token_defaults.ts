import type { TokenKind } from '#models/token_state'

/**
 * What a new Token gets for each field left out, named as the API names
 * them. TokenService, the admin UI's Token form and the API document read
 * it; a test holds the tokens table's column defaults (used by Tokens the
 * edge provisions) to it.
 */
export const TOKEN_DEFAULTS: {
  readonly tags: readonly string[]
  readonly desc: string
  readonly kind: TokenKind
  readonly timeout: number
  readonly grace: number
  readonly schedule: string
  readonly tz: string
  readonly manual_resume: boolean
  readonly max_runtime: number | null
  readonly min_interval: number | null
  readonly min_duration: number | null
  readonly fail_threshold: number
  readonly methods: string
  readonly filter_subject: boolean
  readonly filter_body: boolean
  readonly start_kw: string
  readonly success_kw: string
  readonly failure_kw: string
} = Object.freeze({
  tags: Object.freeze([]),
  desc: '',
  kind: 'simple',
  timeout: 86_400,
  grace: 3600,
  schedule: '* * * * *',
  tz: 'UTC',
  manual_resume: false,
  max_runtime: null,
  min_interval: null,
  min_duration: null,
  fail_threshold: 1,
  methods: '',
  filter_subject: false,
  filter_body: false,
  start_kw: '',
  success_kw: '',
  failure_kw: '',
})
