import { test } from '@japa/runner'
import { Registry } from '#lib/metrics'
import { parsePrometheus } from '#tests/helpers/prometheus'

test.group('Metrics registry (lib/metrics)', () => {
  test('renders counters, gauges and histograms in the strict text format', async ({ assert }) => {
    const registry = new Registry()
    const pings = registry.counter('demo_pings_total', 'Pings.\nBy answer.')
    const ok = pings.labels({ answer: 'ok' })
    pings.labels({ answer: 'not "found"\\' })
    ok.inc()
    ok.inc(2)
    registry.gauge('demo_depth', 'Depth.', () => [[{}, 7]])
    const latency = registry.histogram('demo_seconds', 'Latency.', [0.1, 1])
    for (const value of [0.05, 0.5, 0.7, 3]) {
      latency.labels({ route: '/a' }).observe(value)
    }
    const text = await registry.render()
    const metrics = parsePrometheus(text)
    assert.equal(metrics.value('demo_pings_total', { answer: 'ok' }), 3)
    assert.equal(metrics.value('demo_pings_total', { answer: 'not "found"\\' }), 0)
    assert.equal(metrics.value('demo_depth'), 7)
    assert.equal(metrics.value('demo_seconds_bucket', { route: '/a', le: '0.1' }), 1)
    assert.equal(metrics.value('demo_seconds_bucket', { route: '/a', le: '1' }), 3)
    assert.equal(metrics.value('demo_seconds_bucket', { route: '/a', le: '+Inf' }), 4)
    assert.equal(metrics.value('demo_seconds_count', { route: '/a' }), 4)
    assert.approximately(metrics.value('demo_seconds_sum', { route: '/a' })!, 4.25, 1e-9)
    assert.include(text, '# HELP demo_pings_total Pings.\\nBy answer.\n')
  })

  test('refuses a counter not ending in _total, a bad name and a family registered twice', ({
    assert,
  }) => {
    const registry = new Registry()
    assert.throws(() => registry.counter('demo_pings', 'x'), /must end in _total/)
    assert.throws(() => registry.counter('demo-pings_total', 'x'), /invalid metric name/)
    registry.counter('demo_total', 'x')
    assert.throws(() => registry.counter('demo_total', 'x'), /registered twice/)
  })

  test('the strict reader refuses what a scraper could misread', ({ assert }) => {
    const cases: [string, RegExp][] = [
      ['# HELP a_total x\n# TYPE a_total counter\na_total 1', /newline/],
      ['# HELP a x\n# TYPE a counter\na 1\n', /does not end in _total/],
      ['# HELP a_total x\n# HELP a_total y\n# TYPE a_total counter\n', /HELP a_total twice/],
      ['a_total 1\n', /lacks # HELP or # TYPE/],
      ['# HELP 1a x\n', /bad metric name/],
      ['# HELP a x\n# TYPE a gauge\na{b="1} 2\n', /bad/],
      ['# HELP a x\n# TYPE a gauge\na 1\n# HELP b x\n# TYPE b gauge\nb 1\na 2\n', /not contiguous/],
      [
        '# HELP h x\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="2"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n',
        /not increasing and cumulative/,
      ],
      ['# HELP h x\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_sum 1\nh_count 2\n', /le="\+Inf"/],
      ['# HELP h x\n# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 2\n', /lacks _bucket/],
    ]
    for (const [text, error] of cases) {
      assert.throws(() => parsePrometheus(text), error, text)
    }
  })
})
