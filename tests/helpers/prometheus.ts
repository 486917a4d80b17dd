/**
 * A strict reader of the Prometheus text format (0.0.4) for tests: it throws
 * on anything a scraper could refuse or misread, and then answers sample
 * values by name and labels.
 */

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

interface Family {
  type?: string
  help?: boolean
  samples: Sample[]
}

function parseLabels(text: string, line: string) {
  const labels: Record<string, string> = {}
  let rest = text
  while (rest.length > 0) {
    const match = LABEL.exec(rest)
    if (!match) {
      throw new Error(`bad labels in "${line}"`)
    }
    if (match[1] in labels) {
      throw new Error(`label ${match[1]} twice in "${line}"`)
    }
    labels[match[1]] = match[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1')
    rest = rest.slice(match[0].length)
  }
  return labels
}

function parseValue(text: string, line: string) {
  const value = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text)
  if (text !== 'NaN' && Number.isNaN(value)) {
    throw new Error(`bad value in "${line}"`)
  }
  return value
}

/** The family a sample belongs to: a histogram's _bucket/_sum/_count go to their base name */
function familyOf(name: string, families: Map<string, Family>) {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = name.slice(0, -suffix.length)
    if (name.endsWith(suffix) && families.get(base)?.type === 'histogram') {
      return base
    }
  }
  return name
}

function checkHistogram(name: string, samples: Sample[]) {
  const bySeries = new Map<string, Sample[]>()
  for (const sample of samples) {
    const { le, ...rest } = sample.labels
    const key = JSON.stringify(Object.entries(rest).sort())
    bySeries.set(key, [...(bySeries.get(key) ?? []), sample])
  }
  for (const [key, series] of bySeries) {
    const buckets = series.filter((s) => s.name === `${name}_bucket`)
    const count = series.find((s) => s.name === `${name}_count`)
    const sum = series.find((s) => s.name === `${name}_sum`)
    if (!count || !sum || buckets.length === 0) {
      throw new Error(`histogram ${name}${key} lacks _bucket, _sum or _count`)
    }
    let previous = { le: -Infinity, value: 0 }
    for (const bucket of buckets) {
      const le = parseValue(bucket.labels.le ?? 'x', `${name} le`)
      if (le <= previous.le || bucket.value < previous.value) {
        throw new Error(`histogram ${name}${key}: buckets not increasing and cumulative`)
      }
      previous = { le, value: bucket.value }
    }
    if (previous.le !== Infinity || previous.value !== count.value) {
      throw new Error(`histogram ${name}${key}: last bucket is not le="+Inf" equal to _count`)
    }
  }
}

export function parsePrometheus(text: string) {
  if (!text.endsWith('\n')) {
    throw new Error('exposition does not end with a newline')
  }
  const families = new Map<string, Family>()
  const closed = new Set<string>()
  let current = ''
  const enter = (name: string) => {
    if (name !== current) {
      if (closed.has(name)) {
        throw new Error(`family ${name} is not contiguous`)
      }
      if (current) {
        closed.add(current)
      }
      current = name
    }
    if (!families.has(name)) {
      families.set(name, { samples: [] })
    }
    return families.get(name)!
  }
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line)
    if (meta) {
      const [, kind, name, rest] = meta
      if (!NAME.test(name)) {
        throw new Error(`bad metric name "${name}"`)
      }
      const family = enter(name)
      if (kind === 'HELP') {
        if (family.help) throw new Error(`# HELP ${name} twice`)
        family.help = true
      } else {
        if (family.type || family.samples.length > 0) throw new Error(`# TYPE ${name} misplaced`)
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) {
          throw new Error(`bad type "${rest}" of ${name}`)
        }
        if (rest === 'counter' && !name.endsWith('_total')) {
          throw new Error(`counter ${name} does not end in _total`)
        }
        family.type = rest
      }
      continue
    }
    if (line.startsWith('#') || line === '') {
      continue
    }
    const match = SAMPLE.exec(line)
    if (!match) {
      throw new Error(`bad sample line "${line}"`)
    }
    const sample = {
      name: match[1],
      labels: parseLabels(match[3] ?? '', line),
      value: parseValue(match[4], line),
    }
    enter(familyOf(sample.name, families)).samples.push(sample)
  }
  for (const [name, family] of families) {
    if (!family.help || !family.type) {
      throw new Error(`family ${name} lacks # HELP or # TYPE`)
    }
    if (family.type === 'histogram') {
      checkHistogram(name, family.samples)
    }
  }
  const samples = [...families.values()].flatMap((family) => family.samples)
  return {
    families,
    samples,
    /** The value of the one sample with this name and these labels (all of them); undefined when none */
    value(name: string, labels: Record<string, string> = {}) {
      const wanted = JSON.stringify(Object.entries(labels).sort())
      return samples.find(
        (s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted
      )?.value
    },
  }
}

/** GETs a /metrics URL with the bearer token and parses it strictly */
export async function scrape(url: string, token: string) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
  if (response.status !== 200) {
    throw new Error(`scrape of ${url} answered ${response.status}`)
  }
  return parsePrometheus(await response.text())
}
