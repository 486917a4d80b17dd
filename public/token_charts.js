/*
 * The Token page's charts (uPlot, served from this app): run durations, and
 * pings per time bucket split by kind. Data comes inline as #chart-data, a
 * live part of the page: when a refresh brings new data, the charts redraw.
 */
;(function () {
  const css = getComputedStyle(document.documentElement)
  const color = (name) => css.getPropertyValue(name).trim()

  function sizeOf(element) {
    return { width: Math.max(element.clientWidth, 240), height: 200 }
  }

  function empty(element) {
    element.textContent = element.dataset.empty
    element.classList.add('chart-empty')
  }

  /**
   * The time axis spans the data the server bucketed, never uPlot's guess;
   * the element says which span it drew (data-from, data-to).
   */
  function timeAxis(element, range) {
    const drawn = (u) => {
      element.dataset.from = String(u.scales.x.min)
      element.dataset.to = String(u.scales.x.max)
    }
    return { scales: { x: { time: true, range: () => range } }, hooks: { draw: [drawn] } }
  }

  function durationsChart(element, data, range) {
    return new uPlot(
      {
        ...sizeOf(element),
        ...timeAxis(element, range),
        series: [
          {},
          {
            label: 'duration (s)',
            stroke: color('--started'),
            width: 2,
            points: { show: true, size: 5 },
          },
        ],
        axes: [{}, { label: 'seconds', size: 60 }],
      },
      data,
      element
    )
  }

  /**
   * Stacked bars: each series is drawn as the running total of itself and
   * those below it, later ones over earlier ones; the legend shows the raw count.
   */
  function pingsChart(element, data, range) {
    const [x, success, fail, other] = data
    const raw = [x, other, fail, success]
    const stacked = [
      x,
      x.map((_, i) => success[i] + fail[i] + other[i]),
      x.map((_, i) => success[i] + fail[i]),
      success,
    ]
    const bars = uPlot.paths.bars({ size: [0.8, 40] })
    const series = (label, stroke) => ({
      label,
      stroke,
      fill: stroke,
      paths: bars,
      points: { show: false },
      value: (u, value, index, row) => (row === null ? '--' : raw[index][row]),
    })
    return new uPlot(
      {
        ...sizeOf(element),
        ...timeAxis(element, range),
        series: [
          {},
          series('other', color('--new')),
          series('fail', color('--down')),
          series('success', color('--up')),
        ],
        axes: [{}, { label: 'pings', size: 50 }],
      },
      stacked,
      element
    )
  }

  let plots = []
  let drawn = null

  /** Draws the charts of #chart-data, unless they show that data already. */
  function draw() {
    const source = document.getElementById('chart-data')
    if (!source || typeof uPlot === 'undefined' || source.textContent === drawn) {
      return
    }
    drawn = source.textContent
    const chart = JSON.parse(drawn)
    const ranges = chart.ranges ?? {}
    const pairs = [
      [document.getElementById('chart-durations'), chart.durations, ranges.durations, durationsChart],
      [document.getElementById('chart-pings'), chart.counts, ranges.counts, pingsChart],
    ]
    for (const [, plot] of plots) {
      plot.destroy()
    }
    plots = []
    for (const [element, data, range, make] of pairs) {
      element.textContent = ''
      element.classList.remove('chart-empty')
      if (data[0].length === 0) {
        empty(element)
        continue
      }
      plots.push([element, make(element, data, range)])
    }
  }

  window.addEventListener('resize', () => {
    for (const [element, plot] of plots) {
      plot.setSize(sizeOf(element))
    }
  })
  document.addEventListener('DOMContentLoaded', draw)
  document.addEventListener('ngip:live-refreshed', draw)
})()
