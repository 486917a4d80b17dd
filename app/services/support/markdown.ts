/**
 * A small Markdown subset as HTML, for texts the app writes itself (the
 * OpenAPI document's descriptions): paragraphs, `-` lists, code spans,
 * **strong**, *emphasis* and [links](url). Everything is escaped first, so
 * no HTML in a text ever reaches the page; links go to http(s), a path or
 * an anchor only.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

const SAFE_URL = /^(https?:\/\/|\/(?!\/)|#)/

export function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char])
}

function inlineText(text: string) {
  return escapeHtml(text)
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (link, label: string, url: string) =>
      SAFE_URL.test(url) ? `<a href="${url}">${label}</a>` : link
    )
    .replace(/\*\*(\S(?:[^*]*\S)?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*(\S(?:[^*]*\S)?)\*(?![\w*])/g, '$1<em>$2</em>')
}

/** One line of Markdown: code spans are kept as written, the rest formatted */
export function inlineMarkdown(text: string) {
  return text
    .split(/(`[^`]+`)/)
    .map((part, index) =>
      index % 2 === 1 ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : inlineText(part)
    )
    .join('')
}

const LIST_ITEM = /^\s*[-*]\s+/

function block(lines: string[]) {
  if (lines.every((line) => LIST_ITEM.test(line))) {
    const items = lines.map((line) => `<li>${inlineMarkdown(line.replace(LIST_ITEM, ''))}</li>`)
    return `<ul>${items.join('')}</ul>`
  }
  return `<p>${inlineMarkdown(lines.map((line) => line.trim()).join(' '))}</p>`
}

/** Paragraphs (split at blank lines) and lists */
export function markdown(text: string) {
  return text
    .split(/\n\s*\n/)
    .map((part) => part.split('\n').filter((line) => line.trim() !== ''))
    .filter((lines) => lines.length > 0)
    .map(block)
    .join('\n')
}
