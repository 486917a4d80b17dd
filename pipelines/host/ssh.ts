import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { Agent } from 'node:http'
import { createServer, type Socket } from 'node:net'
import { Duplex } from 'node:stream'

/** A server reached with the system's ssh (its known_hosts, config and agent apply). */
export interface SshTarget {
  user?: string
  host: string
  port?: number
  /** A private key file; without one, ssh's own configuration decides. */
  key?: string
  /** An ssh configuration file used instead of ~/.ssh/config (ssh -F). */
  config?: string
}

export function parseSshUrl(url: string, files: Pick<SshTarget, 'key' | 'config'>): SshTarget {
  const parsed = new URL(url)
  return {
    user: parsed.username || undefined,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : undefined,
    ...files,
  }
}

function sshArgs(target: SshTarget) {
  return [
    '-o',
    'BatchMode=yes',
    ...(target.config ? ['-F', target.config] : []),
    ...(target.port ? ['-p', String(target.port)] : []),
    ...(target.key ? ['-i', target.key, '-o', 'IdentitiesOnly=yes'] : []),
    target.user ? `${target.user}@${target.host}` : target.host,
  ]
}

/**
 * A byte stream to a command on the server (or to a port, with `-W`) over one
 * ssh process, which ends with it. It answers the socket calls Node's HTTP
 * client makes, so it carries HTTP, hijacked streams (exec) included.
 */
class SshStream extends Duplex {
  readonly #child: ChildProcessWithoutNullStreams

  constructor(target: SshTarget, args: string[]) {
    super({ allowHalfOpen: true })
    const child = spawn('ssh', [...sshArgs(target), ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.#child = child
    let errors = ''
    child.stderr.on('data', (chunk) => (errors += chunk))
    child.stdout.on('data', (chunk) => this.push(chunk) || child.stdout.pause())
    child.stdout.on('end', () => this.push(null))
    // A write after the far end has gone is the end of the stream, not a failure.
    child.stdin.on('error', () => {})
    child.on('error', (error) => this.destroy(error))
    child.on('exit', (code) => {
      if (code && !this.destroyed && !this.readableEnded) {
        const why = errors.trim().split('\n').pop() || `ssh exited with ${code}`
        this.destroy(new Error(`ssh ${target.host}: ${why}`))
      }
    })
    // Whoever uses the stream hears its errors; one left unheard must not end the process.
    this.on('error', () => {})
  }

  _read() {
    this.#child.stdout.resume()
  }

  _write(chunk: Buffer, _encoding: string, done: (error?: Error | null) => void) {
    this.#child.stdin.write(chunk, () => done())
  }

  _final(done: () => void) {
    this.#child.stdin.end()
    done()
  }

  _destroy(error: Error | null, done: (error: Error | null) => void) {
    this.#child.kill()
    done(error)
  }

  setNoDelay() {
    return this
  }

  setKeepAlive() {
    return this
  }

  setTimeout() {
    return this
  }

  /** An idle kept-alive connection must not keep the process alive. */
  ref() {
    for (const handle of this.#handles()) {
      handle.ref?.()
    }
    return this
  }

  unref() {
    for (const handle of this.#handles()) {
      handle.unref?.()
    }
    return this
  }

  #handles() {
    const { stdout, stdin, stderr } = this.#child
    return [this.#child, stdout, stdin, stderr] as Array<{ ref?(): void; unref?(): void }>
  }
}

export function sshStream(target: SshTarget, args: string[]): Duplex {
  return new SshStream(target, args)
}

/**
 * An HTTP agent whose connections are `docker system dial-stdio` on the
 * server, as the docker CLI's; kept alive, so one ssh process carries many
 * calls.
 */
export function dockerOverSsh(target: SshTarget): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 })
  agent.createConnection = () =>
    sshStream(target, ['docker', 'system', 'dial-stdio']) as unknown as Socket
  return agent
}

/**
 * A port on this machine's 127.0.0.1 that forwards each connection to `port`
 * on the server's own 127.0.0.1 (ssh -W). It never keeps the process alive.
 */
export function sshTunnel(target: SshTarget, port: number): Promise<number> {
  const server = createServer((socket) => {
    const remote = sshStream(target, ['-W', `127.0.0.1:${port}`])
    socket.pipe(remote).pipe(socket)
    remote.on('error', () => socket.destroy())
    socket.on('error', () => remote.destroy())
  })
  return new Promise((resolve, reject) => {
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.unref()
      resolve((server.address() as { port: number }).port)
    })
  })
}
