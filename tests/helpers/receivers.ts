import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import app from '@adonisjs/core/services/app'

export interface ReceivedRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

/**
 * A real HTTP server that records what it receives and answers with the
 * statuses it is given, one per request (the last one repeats).
 */
export async function startHttpReceiver(statuses: number[] = [200]) {
  const requests: ReceivedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      })
      const status = statuses[Math.min(requests.length - 1, statuses.length - 1)]
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'broken')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

/** What a service receiver answers one request */
export interface ServiceAnswer {
  status: number
  body?: string
  headers?: Record<string, string>
}

export interface TimedRequest extends ReceivedRequest {
  /** When it arrived (ms since the epoch) */
  at: number
}

/**
 * A real HTTP server standing in for a service (Discord, Telegram, PagerDuty…):
 * it records each request and answers what `answer` says for it, as the service would.
 */
export async function startServiceReceiver(answer: (request: TimedRequest) => ServiceAnswer) {
  const requests: TimedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      }
      requests.push(request)
      const { status, body = '', headers = {} } = answer(request)
      res.writeHead(status, headers).end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}

export interface ReceivedMail {
  from: string
  to: string[]
  data: string
}

/**
 * A real SMTP server (smtp-server from npm) on the port the app's mailer uses.
 */
export async function startSmtpReceiver() {
  const mails: ReceivedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          data: Buffer.concat(chunks).toString(),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) =>
    server.listen(Number(process.env.SMTP_PORT), '127.0.0.1', resolve)
  )
  return { mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/**
 * A group setup: Channels may reach this machine's receivers (127.0.0.1) while the group's
 * tests run, as INTEGRATIONS_ALLOW_PRIVATE_IPS=true allows; put back after each test.
 */
export function allowPrivateReceivers() {
  const previous = app.config.get('ngip.integrationsAllowPrivateIps')
  app.config.set('ngip.integrationsAllowPrivateIps', true)
  return () => app.config.set('ngip.integrationsAllowPrivateIps', previous)
}

/**
 * Sends what Channel kinds send to these service hosts (api.telegram.org…) to `base`
 * instead, as CHANNEL_API_BASE_URLS does; returns what puts the setting back.
 */
export function useServiceReceiver(hosts: readonly string[], base: string) {
  const key = 'ngip.notifications.apiBaseUrls'
  const previous = app.config.get<Record<string, string>>(key, {})
  app.config.set(key, {
    ...previous,
    ...Object.fromEntries(hosts.map((host) => [host, base])),
  })
  return () => app.config.set(key, previous)
}

/** The CHANNEL_API_BASE_URLS value that sends these service hosts to `base` (a worker's environment) */
export function serviceReceiverSetting(hosts: readonly string[], base: string) {
  return hosts.map((host) => `${host}=${base}`).join(',')
}
