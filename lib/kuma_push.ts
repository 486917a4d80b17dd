import { runDuration } from '#lib/ping_message'

/**
 * What Uptime Kuma's push form (`/api/push/<uuid>?status=up|down&msg=&ping=`)
 * has beyond the ping URL grammar: its answers are JSON as Kuma's own
 * (`{"ok":true}`, `{"ok":false,"msg":…}`), and its `ping` is the run's
 * duration in milliseconds.
 */
const KUMA_PUSH_PREFIX = '/api/push/'

export function isKumaPush(path: string) {
  return path.startsWith(KUMA_PUSH_PREFIX)
}

/** Kuma's message for a push it cannot take, kept word for word for its clients */
export const KUMA_NOT_FOUND = 'Monitor not found or not active.'

/**
 * The `ping` parameter as a duration: a number of milliseconds from 0 up to
 * a run's longest; anything else is ignored, as Kuma ignores what it cannot
 * read, so a push is never lost over it.
 */
export function kumaPingMs(query: URLSearchParams): number | null {
  const raw = query.get('ping')?.trim()
  return raw ? runDuration(Number(raw)) : null
}
