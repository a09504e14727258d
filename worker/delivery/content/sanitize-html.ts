// A last pass over every rendered HTML part, after the template engine has escaped the data:
// an imported template (or a `| raw` in it) must still not produce live content. Removes
// script-capable elements, event-handler attributes, and any URL attribute that is not http(s).
// Uses workerd's HTMLRewriter, a streaming HTML parser, rather than regular expressions.
import { safeUrl } from './template-data'

const REMOVED_ELEMENTS = 'script, iframe, frame, frameset, object, embed, applet, base, form, input, button, textarea, select, link, meta'
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'background',
  'poster',
  'cite',
  'longdesc',
  'xlink:href',
  'lowsrc',
  'dynsrc',
  'data',
])
const ALWAYS_REMOVED = new Set(['srcdoc', 'srcset'])

export async function sanitizeHtml(html: string): Promise<string> {
  const rewriter = new HTMLRewriter().on(REMOVED_ELEMENTS, { element: (el) => void el.remove() }).on('*', {
    element(el) {
      for (const [name = '', value = ''] of [...el.attributes]) {
        const lower = name.toLowerCase()
        if (lower.startsWith('on') || ALWAYS_REMOVED.has(lower)) el.removeAttribute(name)
        else if (URL_ATTRIBUTES.has(lower) && !safeUrl(value)) el.removeAttribute(name)
        else if (lower === 'style' && /expression\s*\(|url\s*\(|javascript:/i.test(value)) el.removeAttribute(name)
      }
    },
  })
  return rewriter.transform(new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } })).text()
}
