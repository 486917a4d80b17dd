/** Printable ASCII and tabs: what every HTTP stack takes as it is */
const PLAIN_RE = /^[\t\x20-\x7e]*$/

/**
 * UTF-8 bytes an encoded word carries: 45 bytes are 60 base64 characters,
 * and `=?UTF-8?B?` + `?=` make 72, under RFC 2047's 75.
 */
const WORD_BYTES = 45

const encodedWord = (chunk: string) => `=?UTF-8?B?${Buffer.from(chunk).toString('base64')}?=`

/**
 * A header value as it may go on the wire: as it is when printable ASCII,
 * otherwise the whole value as RFC 2047 encoded words (`=?UTF-8?B?…?=`,
 * separated by spaces, which decoders drop), each of whole characters.
 * Emoji, Cyrillic or a newline from a Token's name never fail a request.
 */
export function headerValue(value: string) {
  if (PLAIN_RE.test(value)) {
    return value
  }
  const words: string[] = []
  let chunk = ''
  for (const char of value.toWellFormed()) {
    if (chunk && Buffer.byteLength(chunk + char) > WORD_BYTES) {
      words.push(encodedWord(chunk))
      chunk = ''
    }
    chunk += char
  }
  words.push(encodedWord(chunk))
  return words.join(' ')
}
