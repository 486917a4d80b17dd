declare module 'parse-prometheus-text-format' {
  interface PrometheusMetric {
    value: string
    labels?: Record<string, string>
  }
  interface PrometheusFamily {
    name: string
    help: string
    type: string
    metrics: PrometheusMetric[]
  }
  export default function parsePrometheusTextFormat(text: string): PrometheusFamily[]
}
