import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net'

/**
 * A TCP proxy in front of PostgreSQL or Redis that a test can break: `cut`
 * drops every connection and refuses new ones (the server is down), `freeze`
 * holds requests back without closing anything (the server stalls).
 */
export class FaultProxy {
  #sockets = new Set<Socket>()
  #held: (() => void)[] = []
  #frozen = false
  #server = createServer((client) => this.#pipe(client))
  port = 0

  private constructor(readonly targetPort: number) {}

  static async start(targetPort: number) {
    const proxy = new FaultProxy(targetPort)
    await proxy.restore()
    return proxy
  }

  async restore() {
    await new Promise<void>((resolve) => this.#server.listen(this.port, '127.0.0.1', resolve))
    this.port = (this.#server.address() as AddressInfo).port
  }

  async cut() {
    const closed = new Promise((resolve) => this.#server.close(resolve))
    for (const socket of this.#sockets) {
      socket.destroy()
    }
    await closed
  }

  /** Requests held back while frozen */
  get holding() {
    return this.#held.length
  }

  freeze() {
    this.#frozen = true
  }

  thaw() {
    this.#frozen = false
    for (const release of this.#held.splice(0)) {
      release()
    }
  }

  async close() {
    this.thaw()
    if (this.#server.listening) {
      await this.cut()
    }
  }

  #pipe(client: Socket) {
    const upstream = createConnection(this.targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        this.#sockets.delete(socket)
        client.destroy()
        upstream.destroy()
      })
    }
    client.on('data', (chunk) => {
      const forward = () => upstream.write(chunk)
      if (this.#frozen) {
        this.#held.push(forward)
      } else {
        forward()
      }
    })
    upstream.on('data', (chunk) => client.write(chunk))
  }
}

/**
 * A proxy to Redis that hands its replies on one byte every `everyMs`: a
 * Redis that answers slowly but never falls silent (busy, far away).
 */
export async function drippingProxy(targetPort: number, everyMs: number) {
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = createConnection(targetPort, '127.0.0.1')
    const bytes: number[] = []
    const timer = setInterval(() => {
      const next = bytes.shift()
      if (next !== undefined) {
        client.write(Buffer.from([next]))
      }
    }, everyMs)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        clearInterval(timer)
        client.destroy()
        upstream.destroy()
      })
    }
    client.on('data', (chunk) => upstream.write(chunk))
    upstream.on('data', (chunk: Buffer) => bytes.push(...chunk))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      sockets.forEach((socket) => socket.destroy())
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
