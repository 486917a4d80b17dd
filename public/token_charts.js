/*
 * The Token page's charts (uPlot, served from this app): run durations, and
 * pings per time bucket split by kind. Data comes inline as #chart-data.
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

  function durationsChart(element, data) {
    return new uPlot(
      {
        ...sizeOf(element),
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
  function pingsChart(element, data) {
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

  function draw() {
    const source = document.getElementById('chart-data')
    if (!source || typeof uPlot === 'undefined') {
      return
    }
    const chart = JSON.parse(source.textContent)
    const pairs = [
      [document.getElementById('chart-durations'), chart.durations, durationsChart],
      [document.getElementById('chart-pings'), chart.counts, pingsChart],
    ]
    const plots = []
    for (const [element, data, make] of pairs) {
      if (data[0].length === 0) {
        empty(element)
      } else {
        plots.push([element, make(element, data)])
      }
    }
    window.addEventListener('resize', () => {
      for (const [element, plot] of plots) {
        plot.setSize(sizeOf(element))
      }
    })
  }

  document.addEventListener('DOMContentLoaded', draw)
})()
