import { test } from '@japa/runner'
import {
  type DeliveryError,
  RETRY_AFTER_CAP_MS,
  expectOk,
  retryAfterMs,
} from '#services/alerts/channels/kind'

const answer = (status: number, headers: Record<string, string> = {}) => ({
  status,
  body: 'why',
  headers,
})

function refusal(response: ReturnType<typeof answer>, retryAfter?: number) {
  try {
    expectOk(response, 'The service', { retryAfterMs: retryAfter })
  } catch (error) {
    return error as DeliveryError
  }
  return null
}

test.group('Delivery policy: what a receiver answer means for the next try', () => {
  test('Retry-After in seconds, as an HTTP date, capped, or unreadable', ({ assert }) => {
    const now = Date.parse('2026-11-30T12:00:00Z')
    assert.equal(retryAfterMs('120'), 120_000)
    assert.equal(retryAfterMs(' 1.5 '), 1500)
    assert.equal(retryAfterMs('Mon, 30 Nov 2026 12:00:30 GMT', now), 30_000)
    assert.equal(retryAfterMs('Mon, 30 Nov 2026 11:00:00 GMT', now), 0)
    assert.equal(retryAfterMs('86400'), RETRY_AFTER_CAP_MS)
    assert.equal(retryAfterMs('Tue, 30 Nov 2027 12:00:00 GMT', now), RETRY_AFTER_CAP_MS)
    assert.isUndefined(retryAfterMs('soon'))
    assert.isUndefined(retryAfterMs(''))
    assert.isUndefined(retryAfterMs(undefined))
  })

  test('2xx passes; 4xx but 408 and 429 is permanent; 408, 5xx and 3xx are retried', ({
    assert,
  }) => {
    assert.isNull(refusal(answer(204)))
    for (const status of [400, 401, 403, 404, 410, 413, 422]) {
      const error = refusal(answer(status))!
      assert.isTrue(error.permanent, String(status))
      assert.include(error.message, `The service answered ${status} (not retried): why`)
    }
    for (const status of [408, 500, 502, 503, 302]) {
      const error = refusal(answer(status, { 'retry-after': '5' }))!
      assert.isFalse(error.permanent, String(status))
      assert.isUndefined(error.retryAfterMs, String(status))
    }
  })

  test('a 429 waits its Retry-After, else what the body said, else the backoff', ({ assert }) => {
    assert.equal(refusal(answer(429, { 'retry-after': '7' }))!.retryAfterMs, 7000)
    assert.include(
      refusal(answer(429, { 'retry-after': '7' }))!.message,
      'answered 429 (retry after 7 s)'
    )
    assert.equal(refusal(answer(429, { 'retry-after': '7' }), 3000)!.retryAfterMs, 7000)
    assert.equal(refusal(answer(429), 3000)!.retryAfterMs, 3000)
    assert.equal(refusal(answer(429), 10 * RETRY_AFTER_CAP_MS)!.retryAfterMs, RETRY_AFTER_CAP_MS)
    const plain = refusal(answer(429))!
    assert.isUndefined(plain.retryAfterMs)
    assert.isFalse(plain.permanent)
  })
})
