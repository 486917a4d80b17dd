import { test } from '@japa/runner'
import { cidrMatcher, plainAddress } from '#lib/cidr'

test.group('CIDR matcher (TRUSTED_PROXIES)', () => {
  test('matches blocks and single addresses of both families', ({ assert }) => {
    const trusted = cidrMatcher(' 10.0.0.0/24, 192.0.2.7 ,fd00::/8')
    for (const address of ['10.0.0.0', '10.0.0.255', '::ffff:10.0.0.9', '192.0.2.7', 'fd12::1']) {
      assert.isTrue(trusted(address), address)
    }
    for (const address of ['10.0.1.0', '192.0.2.8', 'fe80::1', '', 'junk', '203.0.113.9']) {
      assert.isFalse(trusted(address), address)
    }
  })

  test('an empty list trusts no one', ({ assert }) => {
    for (const list of ['', ' , ', []]) {
      const trusted = cidrMatcher(list)
      assert.isFalse(trusted('127.0.0.1'))
      assert.isFalse(trusted('::1'))
    }
  })

  test('an entry that is not an address or block is refused, named', ({ assert }) => {
    for (const entry of ['10.0.0.0/33', 'proxy.local', '10.0.0.0/8/1', 'fd00::/129', '10.0.0.0/']) {
      assert.throws(
        () => cidrMatcher(`127.0.0.1, ${entry}`),
        `TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR block (e.g. 10.0.0.0/24, fd00::/8)`
      )
    }
  })

  test('IPv4-mapped IPv6 addresses read as IPv4', ({ assert }) => {
    assert.equal(plainAddress('::ffff:192.0.2.1'), '192.0.2.1')
    assert.equal(plainAddress('::FFFF:192.0.2.1'), '192.0.2.1')
    assert.equal(plainAddress('::ffff:abcd'), '::ffff:abcd')
    assert.equal(plainAddress('2001:db8::1'), '2001:db8::1')
  })
})
