/**
 * HEALTHCHECK of the ngip image: web, small and ping answer their liveness URL;
 * worker and scheduler are healthy while their process runs (the container
 * stops with it). The role is the one docker/entrypoint.sh started.
 */
import { readFileSync } from 'node:fs'

function role() {
  try {
    return readFileSync('/tmp/ngip-role', 'utf8').trim()
  } catch {
    return 'web'
  }
}

const probes = {
  web: `http://127.0.0.1:${process.env.PORT || 3333}/health/live`,
  small: `http://127.0.0.1:${process.env.PORT || 3333}/health/live`,
  ping: `http://127.0.0.1:${process.env.PING_PORT || 3334}/health`,
}

const url = probes[role()]
if (url) {
  const ok = await fetch(url, { signal: AbortSignal.timeout(2500) }).then(
    (response) => response.ok,
    () => false
  )
  process.exit(ok ? 0 : 1)
}
