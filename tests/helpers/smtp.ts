import { connect, type Socket } from 'node:net'

/**
 * A plain SMTP client for tests: one reply per command, as the server sent
 * it, so a test sees the exact code of every step (RCPT, DATA, the end).
 */
export class SmtpClient {
  #buffer = ''
  #waiting: ((reply: string) => void)[] = []
  #replies: string[] = []

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString()
      // A reply ends with a line whose code is followed by a space.
      let end: RegExpExecArray | null
      while ((end = /^\d{3} .*\r\n/m.exec(this.#buffer))) {
        const reply = this.#buffer.slice(0, end.index + end[0].length).trimEnd()
        this.#buffer = this.#buffer.slice(end.index + end[0].length)
        const waiter = this.#waiting.shift()
        waiter ? waiter(reply) : this.#replies.push(reply)
      }
    })
    socket.on('error', () => {})
  }

  static async open(port: number, host = '127.0.0.1') {
    const socket = connect(port, host)
    const client = new SmtpClient(socket)
    const greeting = await client.reply()
    return { client, greeting }
  }

  reply(): Promise<string> {
    const ready = this.#replies.shift()
    if (ready !== undefined) {
      return Promise.resolve(ready)
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push(resolve)
      this.socket.once('close', () => reject(new Error('connection closed')))
    })
  }

  send(line: string) {
    this.socket.write(`${line}\r\n`)
    return this.reply()
  }

  /** The message's lines, dot-stuffed, then the end of data; resolves with the final reply. */
  data(message: string) {
    const stuffed = message.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')
    this.socket.write(`${stuffed}\r\n.\r\n`)
    return this.reply()
  }

  close() {
    this.socket.destroy()
  }
}

export interface MailResult {
  rcpt: string[]
  data?: string
  end?: string
}

/** A message as a sender's MTA would deliver it; stops at the first refusal. */
export async function sendMail(
  port: number,
  mail: { from?: string; to: string[]; subject?: string; text?: string; raw?: string }
): Promise<MailResult> {
  const { client } = await SmtpClient.open(port)
  try {
    await client.send('EHLO test.example')
    await client.send(`MAIL FROM:<${mail.from ?? 'cron@example.com'}>`)
    const rcpt: string[] = []
    for (const to of mail.to) {
      rcpt.push(await client.send(`RCPT TO:<${to}>`))
    }
    if (!rcpt.some((reply) => reply.startsWith('250'))) {
      return { rcpt }
    }
    const data = await client.send('DATA')
    if (!data.startsWith('354')) {
      return { rcpt, data }
    }
    const message =
      mail.raw ??
      [
        `From: ${mail.from ?? 'cron@example.com'}`,
        `To: ${mail.to.join(', ')}`,
        `Subject: ${mail.subject ?? 'ping'}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        mail.text ?? '',
      ].join('\r\n')
    const end = await client.data(message)
    await client.send('QUIT').catch(() => '')
    return { rcpt, data, end }
  } finally {
    client.close()
  }
}
