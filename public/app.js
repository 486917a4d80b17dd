/*
 * The admin UI's few interactive parts, as Alpine.js components. Loaded
 * before Alpine (both deferred), served as is: no build step. Alpine is its
 * CSP build, which parses the templates' expressions instead of eval'ing
 * them: keep those to names, calls, comparisons and literals, logic here.
 */
const REFRESH_MS = 10_000

/**
 * Fetches an HTML fragment of this app; null when the session ended (the
 * request was redirected to the sign-in page) or the request failed.
 */
async function fetchFragment(url) {
  try {
    const response = await fetch(url, {
      headers: { accept: 'text/html' },
      credentials: 'same-origin',
    })
    return response.ok && !response.redirected ? await response.text() : null
  } catch {
    return null
  }
}

function copyWithoutClipboardApi(text) {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.append(area)
  area.select()
  document.execCommand('copy')
  area.remove()
}

/**
 * The hover text of a <time datetime> in the reader's own time zone, with
 * the UTC moment the server wrote beside it (readers without script keep
 * the UTC one). Times the page adds later, as live parts refresh, too.
 */
function localizeTime(time) {
  const at = new Date(time.getAttribute('datetime'))
  if (time.dataset.localized || Number.isNaN(at.getTime())) {
    return
  }
  const local = at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'long' })
  time.title = time.title ? `${local} (${time.title})` : local
  time.dataset.localized = 'true'
}

function localizeTimesIn(root) {
  if (root.matches?.('time[datetime]')) {
    localizeTime(root)
  }
  root.querySelectorAll?.('time[datetime]').forEach(localizeTime)
}

document.addEventListener('DOMContentLoaded', () => {
  if (Intl.DateTimeFormat().resolvedOptions().timeZone === 'UTC') {
    return
  }
  localizeTimesIn(document)
  new MutationObserver((changes) => {
    for (const change of changes) {
      change.addedNodes.forEach(localizeTimesIn)
    }
  }).observe(document.body, { childList: true, subtree: true })
})

document.addEventListener('alpine:init', () => {
  const Alpine = window.Alpine

  /** A button that copies its data-copy text (over plain http too). */
  Alpine.data('copyButton', () => ({
    async copy() {
      const text = this.$el.dataset.copy
      try {
        await navigator.clipboard.writeText(text)
      } catch {
        copyWithoutClipboardApi(text)
      }
      const label = this.$el.textContent
      this.$el.textContent = 'Copied'
      setTimeout(() => (this.$el.textContent = label), 1500)
    },
  }))

  /** A form sent as soon as its select changes (the project switcher). */
  Alpine.data('submitOnChange', () => ({
    send() {
      this.$el.form.requestSubmit()
    },
  }))

  /**
   * Refreshes the [data-live] parts inside it from `url` (which answers the
   * same parts) every few seconds while the tab is visible, then tells the
   * page with an `ngip:live-refreshed` event (the charts redraw on it).
   */
  Alpine.data('liveParts', (url, enabled = true) => ({
    timer: null,
    init() {
      if (enabled) {
        this.timer = setInterval(() => this.refresh(), REFRESH_MS)
      }
    },
    destroy() {
      clearInterval(this.timer)
    },
    async refresh() {
      if (document.hidden) {
        return
      }
      const html = await fetchFragment(url)
      if (html === null) {
        return
      }
      const fresh = document.createElement('template')
      fresh.innerHTML = html
      for (const part of fresh.content.querySelectorAll('[data-live]')) {
        const target = this.$root.querySelector(`[data-live="${part.dataset.live}"]`)
        if (target) {
          target.innerHTML = part.innerHTML
        }
      }
      document.dispatchEvent(new CustomEvent('ngip:live-refreshed'))
    },
  }))

  /** The dashboard: filters apply as they change, rows refresh themselves. */
  Alpine.data('liveList', (url) => ({
    timer: null,
    init() {
      this.timer = setInterval(() => this.refresh(), REFRESH_MS)
    },
    destroy() {
      clearInterval(this.timer)
    },
    query() {
      const params = new URLSearchParams(new FormData(this.$refs.filters))
      for (const [key, value] of [...params]) {
        if (value === '') {
          params.delete(key)
        }
      }
      return params.toString()
    },
    async refresh() {
      if (document.hidden) {
        return
      }
      const query = this.query()
      const html = await fetchFragment(query ? `${url}?${query}` : url)
      if (html !== null) {
        this.$refs.rows.innerHTML = html
      }
    },
    filter() {
      const query = this.query()
      history.replaceState(null, '', query ? `?${query}` : location.pathname)
      this.refresh()
    },
  }))
})
