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
