import { BlockList, isIP } from 'node:net'

/** Tells whether an address is in a list of CIDR blocks. */
export type AddressMatcher = (address: string) => boolean

const NOTHING: AddressMatcher = () => false

/** An IPv4-mapped IPv6 address ("::ffff:10.0.0.1", as a dual-stack socket reports it) as plain IPv4. */
export function plainAddress(address: string) {
  if (address.length > 7 && address.slice(0, 7).toLowerCase() === '::ffff:') {
    const v4 = address.slice(7)
    return isIP(v4) === 4 ? v4 : address
  }
  return address
}

function addEntry(list: BlockList, entry: string, name: string) {
  const [address, prefix, extra] = entry.split('/')
  const family = isIP(address)
  const max = family === 6 ? 128 : 32
  const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1
  if (family === 0 || extra !== undefined || bits < 0 || bits > max) {
    throw new Error(
      `${name}: "${entry}" is not an IP address or CIDR block (e.g. 10.0.0.0/24, fd00::/8)`
    )
  }
  list.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4')
}

/**
 * A matcher for a comma-separated list of CIDR blocks and single addresses
 * ("10.0.0.0/24, 192.0.2.7, fd00::/8"); an empty list matches nothing.
 * Throws, naming `name` and the entry, on anything else.
 */
export function cidrMatcher(list: string | readonly string[], name = 'TRUSTED_PROXIES') {
  const entries = (typeof list === 'string' ? list.split(',') : list)
    .map((entry) => entry.trim())
    .filter(Boolean)
  if (entries.length === 0) {
    return NOTHING
  }
  const blocks = new BlockList()
  for (const entry of entries) {
    addEntry(blocks, entry, name)
  }
  const matcher: AddressMatcher = (address) => {
    const plain = plainAddress(address)
    const family = isIP(plain)
    return family !== 0 && blocks.check(plain, family === 6 ? 'ipv6' : 'ipv4')
  }
  return matcher
}

/** True when the matcher can match no address at all (no proxy is trusted). */
export function matchesNothing(matcher: AddressMatcher) {
  return matcher === NOTHING
}
