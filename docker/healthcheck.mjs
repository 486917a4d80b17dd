/**
 * HEALTHCHECK of the ngip image: web, small and ping answer their liveness URL,
 * smtpd its SMTP greeting (220);
 * worker and scheduler are healthy while their process runs (the container
 * stops with it). The role is the one docker/entrypoint.sh started.
 */
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'

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

/** The SMTP listener greets with 220 when it takes mail. */
function smtpGreets(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.setTimeout(2500, () => socket.destroy())
    socket.once('data', (chunk) => {
      socket.end('QUIT\r\n')
      resolve(chunk.toString().startsWith('220'))
    })
    socket.once('error', () => resolve(false))
    socket.once('close', () => resolve(false))
  })
}

if (role() === 'smtpd') {
  process.exit((await smtpGreets(Number(process.env.SMTPD_PORT || 2525))) ? 0 : 1)
}
const url = probes[role()]
if (url) {
  const ok = await fetch(url, { signal: AbortSignal.timeout(2500) }).then(
    (response) => response.ok,
    () => false
  )
  process.exit(ok ? 0 : 1)
}
