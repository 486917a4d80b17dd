import { test } from '@japa/runner'
import { RestartBackoff } from '#lib/restart_backoff'

test.group('RestartBackoff', () => {
  test('doubles from 1 s up to 60 s while a role keeps failing fast', ({ assert }) => {
    const backoff = new RestartBackoff()
    const delays = Array.from({ length: 9 }, () => backoff.next(500))
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000])
  })

  test('a run that lasted a minute starts again from 1 s', ({ assert }) => {
    const backoff = new RestartBackoff()
    backoff.next(100)
    backoff.next(100)
    assert.equal(backoff.next(100), 4000)
    assert.equal(backoff.next(60_000), 1000)
    assert.equal(backoff.next(100), 2000)
  })
})
