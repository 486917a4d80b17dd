/**
 * Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=`) in
 * a header value as a mail client or ntfy would, after unfolding its lines.
 * A test's own reading, independent of the code that encodes.
 */
export function decodeEncodedWords(value: string) {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g
  const unfolded = value.replace(/\r?\n[ \t]/g, ' ')
  // whitespace between two encoded words is not part of the text
  const joined = unfolded.replace(/(\?=)\s+(?==\?)/g, '$1')
  return joined.replace(word, (_, charset: string, how: string, text: string) => {
    const bytes =
      how.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (__, hex: string) =>
                String.fromCharCode(Number.parseInt(hex, 16))
              ),
            'latin1'
          )
    return new TextDecoder(charset).decode(bytes)
  })
}

/** The value of one header in a raw mail, its folded lines joined */
export function mailHeader(raw: string, name: string) {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]/g, ' ')
  const line = head.split(/\r?\n/).find((row) => row.toLowerCase().startsWith(`${name}:`))
  return line?.slice(name.length + 1).trim()
}
