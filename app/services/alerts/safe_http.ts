import dns from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/**
 * Addresses a webhook must not reach unless INTEGRATIONS_ALLOW_PRIVATE_IPS:
 * loopback, private, link-local, carrier-grade NAT, multicast and reserved.
 */
const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6')
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) {
    return blocked.check(mapped[1], 'ipv4')
  }
  const family = isIP(address)
  return family === 0 || blocked.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

export class BlockedAddressError extends Error {
  constructor(host: string, address: string) {
    super(
      `${host} resolves to ${address}, a private or loopback address; set INTEGRATIONS_ALLOW_PRIVATE_IPS=true to allow it`
    )
  }
}

/**
 * A DNS lookup that refuses private addresses, so the check and the
 * connection use the same resolved address (no DNS-rebinding gap).
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      return callback(error, '', 0)
    }
    const list = addresses as dns.LookupAddress[]
    const bad = list.find((entry) => isPrivateAddress(entry.address))
    if (bad) {
      return callback(new BlockedAddressError(hostname, bad.address), '', 0)
    }
    if ((options as dns.LookupAllOptions).all) {
      return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list)
    }
    callback(null, list[0].address, list[0].family)
  })
}

export interface SafeRequest {
  method: string
  url: string
  headers?: Record<string, string>
  body?: string
  allowPrivate: boolean
  timeoutMs?: number
}

export interface SafeResponse {
  status: number
  body: string
  /** Its headers, names in lower case (Retry-After, for one) */
  headers: http.IncomingHttpHeaders
}

/** A URL's host without the brackets of an IPv6 literal */
function literalHost(url: URL) {
  return url.hostname.replace(/^\[|\]$/g, '')
}

/**
 * True for a URL whose host is plainly private, without a DNS lookup:
 * localhost, or an IP address in a private, loopback or link-local range.
 * Names that resolve to such addresses are refused when a request goes out.
 */
export function isPlainlyPrivateUrl(url: string) {
  const host = literalHost(new URL(url))
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return true
  }
  return isIP(host) !== 0 && isPrivateAddress(host)
}

/**
 * One HTTP(S) request that never reaches a private address (unless allowed),
 * never follows redirects and never waits longer than `timeoutMs`.
 */
export function safeRequest(request: SafeRequest): Promise<SafeResponse> {
  const url = new URL(request.url)
  const host = literalHost(url)
  if (!request.allowPrivate && isIP(host) && isPrivateAddress(host)) {
    return Promise.reject(new BlockedAddressError(host, host))
  }
  const client = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: request.method,
        headers: { 'user-agent': 'ngip-notifier', ...request.headers },
        lookup: request.allowPrivate ? undefined : guardedLookup,
        timeout: request.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size <= 4096) {
            chunks.push(chunk)
          }
        })
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          })
        )
        res.on('error', reject)
      }
    )
    req.on('timeout', () =>
      req.destroy(new Error(`no answer from ${url.host} within ${request.timeoutMs ?? 10_000} ms`))
    )
    req.on('error', reject)
    req.end(request.body)
  })
}
