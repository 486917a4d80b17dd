import { createHash } from 'node:crypto'

/**
 * The Redis protocol (RESP2), as much as the edge needs: commands out, and
 * replies in (simple strings, errors, integers, bulk strings, arrays).
 */
export type Reply = string | number | Buffer | null | ReplyError | Reply[]

export class ReplyError extends Error {}

const CRLF = '\r\n'

/**
 * One command in the wire format; Buffers (ping bodies) are kept as bytes.
 */
export function encodeCommand(args: (string | number | Buffer)[]): (string | Buffer)[] {
  const chunks: (string | Buffer)[] = []
  let text = `*${args.length}${CRLF}`
  for (const arg of args) {
    if (Buffer.isBuffer(arg)) {
      chunks.push(`${text}$${arg.length}${CRLF}`, arg)
      text = CRLF
    } else {
      const value = String(arg)
      text += `$${Buffer.byteLength(value)}${CRLF}${value}${CRLF}`
    }
  }
  chunks.push(text)
  return chunks
}

const INCOMPLETE = Symbol('incomplete')
type Parsed = { value: Reply; end: number } | typeof INCOMPLETE

function lineEnd(buffer: Buffer, from: number) {
  const end = buffer.indexOf(CRLF, from)
  return end < 0 ? -1 : end
}

function parseAt(buffer: Buffer, offset: number): Parsed {
  const end = lineEnd(buffer, offset + 1)
  if (end < 0) {
    return INCOMPLETE
  }
  const line = buffer.toString('latin1', offset + 1, end)
  switch (buffer[offset]) {
    case 43: // +
      return { value: line, end: end + 2 }
    case 45: // -
      return { value: new ReplyError(line), end: end + 2 }
    case 58: // :
      return { value: Number(line), end: end + 2 }
    case 36: {
      // $
      const length = Number(line)
      if (length < 0) {
        return { value: null, end: end + 2 }
      }
      const stop = end + 2 + length
      return buffer.length < stop + 2
        ? INCOMPLETE
        : { value: buffer.subarray(end + 2, stop), end: stop + 2 }
    }
    case 42: {
      // *
      return parseArray(buffer, Number(line), end + 2)
    }
    default:
      throw new ReplyError(`unexpected reply type ${buffer[offset]}`)
  }
}

function parseArray(buffer: Buffer, count: number, from: number): Parsed {
  if (count < 0) {
    return { value: null, end: from }
  }
  const items: Reply[] = []
  let offset = from
  for (let i = 0; i < count; i++) {
    const item = parseAt(buffer, offset)
    if (item === INCOMPLETE) {
      return INCOMPLETE
    }
    items.push(item.value)
    offset = item.end
  }
  return { value: items, end: offset }
}

/**
 * Splits a byte stream into replies, keeping an incomplete tail for later.
 */
export class ReplyParser {
  #pending: Buffer | null = null

  constructor(private onReply: (reply: Reply) => void) {}

  feed(chunk: Buffer) {
    const buffer = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk
    let offset = 0
    while (offset < buffer.length) {
      const parsed = parseAt(buffer, offset)
      if (parsed === INCOMPLETE) {
        break
      }
      offset = parsed.end
      this.onReply(parsed.value)
    }
    this.#pending = offset < buffer.length ? buffer.subarray(offset) : null
  }

  reset() {
    this.#pending = null
  }
}

const shas = new Map<string, string>()

/** The SHA1 a script runs under with EVALSHA (computed once per script). */
export function scriptSha(script: string) {
  let sha = shas.get(script)
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex')
    shas.set(script, sha)
  }
  return sha
}
