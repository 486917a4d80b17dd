import type { Page } from 'playwright'

/** A phone's viewport: an iPhone 12 to 15's CSS pixels. */
export const PHONE = { width: 390, height: 844 }

/**
 * Line breaks inside a word (between two letters or digits) in the text of
 * the elements matching `selector`, as "text…: a|b"; breaks at spaces,
 * slashes, dots, @ and hyphens are fine.
 */
export function midWordBreaks(page: Page, selector: string): Promise<string[]> {
  return page.evaluate(`(() => {
    const bad = []
    for (const element of document.querySelectorAll(${JSON.stringify(selector)})) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
      let top = null
      let previous = ''
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent
        for (let i = 0; i < text.length; i++) {
          const range = document.createRange()
          range.setStart(node, i)
          range.setEnd(node, i + 1)
          const rect = range.getClientRects()[0]
          if (rect && top !== null && rect.top > top + 2 && /\\w/.test(previous) && /\\w/.test(text[i])) {
            bad.push(element.textContent.trim().slice(0, 50) + ': ' + previous + '|' + text[i])
          }
          if (rect) {
            top = rect.top
          }
          previous = text[i]
        }
      }
    }
    return bad
  })()`)
}

/**
 * How the page fits the phone's width: its scroll width, and the table cells
 * and buttons that are hidden, clipped or reach past the screen's edge.
 */
export function phoneProblems(page: Page): Promise<{ scrollWidth: number; problems: string[] }> {
  return page.evaluate(`(() => {
    const problems = []
    const width = document.documentElement.clientWidth
    const name = (element) => element.tagName.toLowerCase() + ' "' + element.textContent.trim().slice(0, 40) + '"'
    for (const cell of document.querySelectorAll('main td')) {
      const rect = cell.getBoundingClientRect()
      if (rect.width === 0 || rect.height === 0 || getComputedStyle(cell).visibility === 'hidden') {
        problems.push('hidden: ' + name(cell))
      }
    }
    for (const wrap of document.querySelectorAll('main .table-wrap, main pre')) {
      if (wrap.scrollWidth > wrap.clientWidth + 1 && !wrap.matches('pre.body')) {
        problems.push('scrolls sideways: ' + name(wrap))
      }
    }
    for (const control of document.querySelectorAll('header button, main .button, main button, main input, main select')) {
      if (control.closest('dialog') || control.type === 'hidden') {
        continue
      }
      const rect = control.getBoundingClientRect()
      if (control.scrollWidth > control.clientWidth + 1) {
        problems.push('clipped: ' + name(control))
      }
      if (rect.left < 0 || rect.right > width + 0.5) {
        problems.push('off screen: ' + name(control))
      }
      if (control.matches('.button, button') && rect.height > 48) {
        problems.push('label wraps: ' + name(control))
      }
    }
    return { scrollWidth: document.scrollingElement.scrollWidth, problems }
  })()`)
}
