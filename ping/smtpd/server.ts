import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server'
import { simpleParser } from 'mailparser'
import { EMAIL_METHOD, emailPingBody, parseEmailRecipient } from '#lib/email_ping'
import { cleanText, FIELD_LIMITS, type PingMessage } from '#lib/ping_message'
import type { PingTarget } from '#lib/ping_url'
import type { AcceptResult, PingStore } from '../core.js'
import type { SmtpdConfig } from './config.js'

/** What the listener needs of the edge's store: the Token set check, and accept. */
export interface EmailPingStore extends Pick<PingStore, 'accept'> {
  knows(target: PingTarget): Promise<boolean>
}

export interface SmtpdDeps {
  store: EmailPingStore
  bodyLimit: number
  rateLimit: number
  now?: () => number
}

/** Recipients of one message at most (one Ping each). */
export const MAX_RECIPIENTS = 20

/** An SMTP reply for a callback: smtp-server sends `responseCode` and the message. */
function reply(code: number, text: string) {
  return Object.assign(new Error(text), { responseCode: code })
}

const REPLIES = {
  notPing: () => reply(550, '5.1.1 Not a ping address of this server'),
  unknown: () => reply(550, '5.1.1 No Token with this address'),
  unavailable: () => reply(451, '4.3.0 Pings cannot be stored right now, try again later'),
  tooMany: () => reply(452, `4.5.3 At most ${MAX_RECIPIENTS} recipients a message`),
  tooBig: (limit: number) => reply(552, `5.3.4 Message bigger than ${limit} bytes`),
  limited: () => reply(450, '4.7.1 Too many pings for this Token, try later'),
}

/** The message's bytes; past `limit` they are counted, not kept (smtp-server refuses it then). */
function readMessage(stream: SMTPServerDataStream, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let kept = 0
    stream.on('data', (chunk: Buffer) => {
      if (kept < limit) {
        chunks.push(chunk)
        kept += chunk.length
      }
    })
    stream.once('error', reject)
    stream.once('end', () => resolve(Buffer.concat(chunks)))
  })
}

/** Subject and text of the message; one that cannot be parsed is kept as it came. */
async function pingBody(raw: Buffer, bodyLimit: number) {
  try {
    const mail = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true })
    return emailPingBody(mail.subject ?? '', mail.text ?? '', bodyLimit)
  } catch {
    return raw.subarray(0, bodyLimit)
  }
}

/** One answer for the message: any failure asks the sender to retry it whole. */
function outcome(results: PromiseSettledResult<AcceptResult>[]) {
  if (results.some((result) => result.status === 'rejected')) {
    return REPLIES.unavailable()
  }
  const values = results.map((result) => (result as PromiseFulfilledResult<AcceptResult>).value)
  // A retried message that Redis stored the first time (after a 451) was stored as well.
  const stored = values.filter(
    (value) => value === 'accepted' || value === 'stored_before' || value === 'created'
  ).length
  if (stored > 0) {
    return null
  }
  return values.includes('limited') ? REPLIES.limited() : REPLIES.unknown()
}

async function store(
  deps: SmtpdDeps,
  config: SmtpdConfig,
  raw: Buffer,
  session: SMTPServerSession
) {
  const body = await pingBody(raw, deps.bodyLimit)
  const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
  const message: Omit<PingMessage, 'token' | 'action'> = {
    at: (deps.now ?? Date.now)(),
    method: EMAIL_METHOD,
    remoteAddr: cleanText(session.remoteAddress, FIELD_LIMITS.remoteAddr),
    userAgent: cleanText(`Email from ${from || '<>'}`, FIELD_LIMITS.userAgent),
    exitStatus: null,
    rid: null,
    body: body.length > 0 ? body : null,
  }
  // Accepted in one turn: the store sends them as one script call, one stream entry.
  const accepted = session.envelope.rcptTo.map((rcpt) => {
    const recipient = parseEmailRecipient(rcpt.address, config.domain)!
    const ping = { ...message, action: recipient.action }
    return deps.store.accept(recipient.target, ping, { rateLimit: deps.rateLimit })
  })
  return outcome(await Promise.allSettled(accepted))
}

/**
 * The SMTP listener: mail to a ping address becomes a Ping on the stream.
 * Unknown recipients get 550 at RCPT time (from the edge's Token set in
 * Redis; PostgreSQL is never asked), the message 250 only once its pings
 * are on the stream, 451 while Redis is unreachable, 552 when too big.
 */
export function createSmtpd(deps: SmtpdDeps, config: SmtpdConfig): SMTPServer {
  return new SMTPServer({
    name: config.domain,
    banner: 'ngip email pings',
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    disabledCommands: config.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(config.tls ? { key: config.tls.key, cert: config.tls.cert } : {}),
    size: config.maxMessageBytes,
    maxClients: config.maxConnections,
    socketTimeout: config.timeoutMs,
    closeTimeout: 5000,
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) {
        return callback(REPLIES.tooMany())
      }
      const recipient = parseEmailRecipient(address.address, config.domain)
      if (!recipient) {
        return callback(REPLIES.notPing())
      }
      deps.store.knows(recipient.target).then(
        (known) => callback(known ? null : REPLIES.unknown()),
        () => callback(REPLIES.unavailable())
      )
    },
    onData(stream, session, callback) {
      readMessage(stream, config.maxMessageBytes)
        .then((raw) => {
          if (stream.sizeExceeded) {
            return REPLIES.tooBig(config.maxMessageBytes)
          }
          return store(deps, config, raw, session)
        })
        .then(
          (error) => callback(error),
          () => callback(REPLIES.unavailable())
        )
    },
  })
}
