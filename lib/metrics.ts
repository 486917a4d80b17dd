/**
 * A small Prometheus registry (text exposition format 0.0.4), shared by the
 * edge, the worker and the web: counters and histograms with labels, gauges
 * read at scrape time. No dependency, and nothing built per increment: a
 * caller binds its label values once (`counter.labels(...)`) and keeps the
 * child, whose `inc()` adds to a number.
 */

export type Labels = Readonly<Record<string, string>>

function escapeLabel(value: string) {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

function labelText(labels: Labels, extra = '') {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`)
  if (extra) {
    parts.push(extra)
  }
  return parts.length === 0 ? '' : `{${parts.join(',')}}`
}

function checkName(name: string) {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) {
    throw new Error(`invalid metric name "${name}"`)
  }
}

interface Family {
  name: string
  help: string
  type: 'counter' | 'gauge' | 'histogram'
  samples(): Promise<string[]> | string[]
}

export class CounterChild {
  value = 0
  constructor(readonly text: string) {}
  inc(by = 1) {
    this.value += by
  }
}

export class Counter {
  readonly type = 'counter'
  #children = new Map<string, CounterChild>()

  constructor(
    readonly name: string,
    readonly help: string
  ) {
    checkName(name)
    if (!name.endsWith('_total')) {
      throw new Error(`counter "${name}" must end in _total`)
    }
  }

  /** The child of these label values, created once (at 0, so it is exported before its first increment) */
  labels(labels: Labels = {}): CounterChild {
    const text = labelText(labels)
    let child = this.#children.get(text)
    if (!child) {
      child = new CounterChild(text)
      this.#children.set(text, child)
    }
    return child
  }

  inc(labels: Labels = {}, by = 1) {
    this.labels(labels).inc(by)
  }

  samples() {
    return [...this.#children.values()].map((child) => `${this.name}${child.text} ${child.value}`)
  }
}

export class HistogramChild {
  readonly counts: number[]
  sum = 0
  count = 0
  constructor(
    readonly labels: Labels,
    private bounds: readonly number[]
  ) {
    this.counts = bounds.map(() => 0)
  }

  observe(value: number) {
    this.sum += value
    this.count++
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= this.bounds[i]) {
        this.counts[i]++
        return
      }
    }
  }
}

export class Histogram {
  readonly type = 'histogram'
  #children = new Map<string, HistogramChild>()

  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[]
  ) {
    checkName(name)
  }

  labels(labels: Labels = {}): HistogramChild {
    const key = labelText(labels)
    let child = this.#children.get(key)
    if (!child) {
      child = new HistogramChild(labels, this.buckets)
      this.#children.set(key, child)
    }
    return child
  }

  samples() {
    const lines: string[] = []
    for (const child of this.#children.values()) {
      let cumulative = 0
      this.buckets.forEach((bound, i) => {
        cumulative += child.counts[i]
        lines.push(`${this.name}_bucket${labelText(child.labels, `le="${bound}"`)} ${cumulative}`)
      })
      lines.push(`${this.name}_bucket${labelText(child.labels, 'le="+Inf"')} ${child.count}`)
      lines.push(`${this.name}_sum${labelText(child.labels)} ${child.sum}`)
      lines.push(`${this.name}_count${labelText(child.labels)} ${child.count}`)
    }
    return lines
  }
}

export type GaugeRead = () => Promise<Array<[Labels, number]>> | Array<[Labels, number]>

/** A gauge whose samples are read when scraped (e.g. a queue length from Redis) */
export class Gauge {
  readonly type = 'gauge'
  constructor(
    readonly name: string,
    readonly help: string,
    private read: GaugeRead
  ) {
    checkName(name)
  }

  async samples() {
    const values = await this.read()
    return values.map(([labels, value]) => `${this.name}${labelText(labels)} ${value}`)
  }
}

export class Registry {
  #families = new Map<string, Family>()

  register<T extends Family>(family: T): T {
    if (this.#families.has(family.name)) {
      throw new Error(`metric "${family.name}" is registered twice`)
    }
    this.#families.set(family.name, family)
    return family
  }

  counter(name: string, help: string) {
    return this.register(new Counter(name, help))
  }

  histogram(name: string, help: string, buckets: readonly number[]) {
    return this.register(new Histogram(name, help, buckets))
  }

  gauge(name: string, help: string, read: GaugeRead) {
    return this.register(new Gauge(name, help, read))
  }

  /** The text exposition of every family, `# HELP` and `# TYPE` once each */
  async render(): Promise<string> {
    const lines: string[] = []
    for (const family of this.#families.values()) {
      lines.push(
        `# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`
      )
      lines.push(`# TYPE ${family.name} ${family.type}`)
      lines.push(...(await family.samples()))
    }
    return lines.join('\n') + '\n'
  }
}

/** The process's resident memory, as every role reports it */
export function processMemoryGauge(registry: Registry) {
  return registry.gauge('process_resident_memory_bytes', 'Resident memory of this process.', () => [
    [{}, process.memoryUsage().rss],
  ])
}
