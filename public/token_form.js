/*
 * The Token form: the schedule kind, and the next runs of a cron or
 * OnCalendar schedule shown as it is typed (from the app's /schedule/preview),
 * or what is wrong with it.
 */
document.addEventListener('alpine:init', () => {
  window.Alpine.data('tokenForm', ({ kind, isNew }) => ({
    kind,
    runs: [],
    error: '',
    asked: 0,
    init() {
      if (isNew && this.$refs.tz.value === 'UTC') {
        this.$refs.tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
      }
      this.$watch('kind', () => this.preview())
      this.preview()
    },
    async preview() {
      if (this.kind === 'simple') {
        return
      }
      const params = new URLSearchParams({
        kind: this.kind,
        schedule: this.$refs.schedule.value,
        tz: this.$refs.tz.value,
      })
      const ask = ++this.asked
      try {
        const response = await fetch(`${this.$root.dataset.previewUrl}?${params}`, {
          headers: { accept: 'application/json' },
        })
        const result = await response.json()
        // An older answer arriving late must not replace a newer one.
        if (ask === this.asked) {
          this.runs = result.ok ? result.runs : []
          this.error = result.ok ? '' : result.error
        }
      } catch {
        this.runs = []
      }
    },
  }))
})
