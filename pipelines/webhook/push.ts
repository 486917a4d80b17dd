/** What the webhook keeps of a GitHub push event. */
export interface Push {
  ref: string
  branch: string
  /** The commit the branch now points at. */
  after: string
  pusher: string
  /** When GitHub received the push (epoch seconds), when the payload says. */
  pushedAt?: number
}

export type PushReading =
  | { kind: 'push'; push: Push }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string }

const REF = /^refs\/[^\s\0]{1,240}$/
// SHA-1 repositories have 40 hex digits, SHA-256 ones 64.
const COMMIT = /^([0-9a-f]{40}|[0-9a-f]{64})$/
const DELETED = /^0+$/

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined
}

function pusherName(payload: unknown): string {
  const name = field(field(payload, 'pusher'), 'name')
  return typeof name === 'string' ? name.slice(0, 100) : 'unknown'
}

function pushedAt(payload: unknown): number | undefined {
  const value = field(field(payload, 'repository'), 'pushed_at')
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/**
 * Reads a push payload: a branch that moved to a commit is a push; a branch
 * deletion or a tag is ignored; anything else is invalid.
 */
export function readPush(payload: unknown): PushReading {
  const ref = field(payload, 'ref')
  const after = field(payload, 'after')
  if (typeof ref !== 'string' || !REF.test(ref)) {
    return { kind: 'invalid', reason: 'push without a valid ref' }
  }
  if (typeof after !== 'string' || !COMMIT.test(after)) {
    return { kind: 'invalid', reason: 'push without a valid after commit' }
  }
  if (field(payload, 'deleted') === true || DELETED.test(after)) {
    return { kind: 'ignored', reason: `${ref} was deleted` }
  }
  if (!ref.startsWith('refs/heads/')) {
    return { kind: 'ignored', reason: `${ref} is not a branch` }
  }
  const branch = ref.slice('refs/heads/'.length)
  return {
    kind: 'push',
    push: { ref, branch, after, pusher: pusherName(payload), pushedAt: pushedAt(payload) },
  }
}
