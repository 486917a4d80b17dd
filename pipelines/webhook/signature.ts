import { createHmac, timingSafeEqual } from 'node:crypto'

const SIGNATURE = /^sha256=([0-9a-f]{64})$/

/**
 * Whether `header` (GitHub's `X-Hub-Signature-256: sha256=<hex>`) is the
 * HMAC-SHA256 of the raw body under the secret. Compared in constant time.
 */
export function signatureMatches(secret: string, body: Buffer, header: string): boolean {
  if (secret === '') {
    // An empty key would make every signature computable by anyone.
    throw new Error('The webhook secret is empty')
  }
  const match = SIGNATURE.exec(header.trim())
  if (!match) {
    return false
  }
  const expected = createHmac('sha256', secret).update(body).digest()
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'))
}
