// Finds anything in an HTML document that a mail client or browser could run or follow to a
// non-http(s) target, using an independent parser (htmlparser2), not the sanitiser under test.
import { parseDocument } from 'htmlparser2'
import type { ChildNode, Element } from 'domhandler'

const SCRIPTING = new Set(['script', 'iframe', 'object', 'embed', 'frame', 'base', 'form'])
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster', 'srcset', 'srcdoc'])

export function liveContent(html: string): string[] {
  const found: string[] = []
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue
      const el = node as Element
      if (SCRIPTING.has(el.name)) found.push(`<${el.name}>`)
      for (const [name, value] of Object.entries(el.attribs)) {
        if (name.startsWith('on')) found.push(`${el.name} ${name}=`)
        if (URL_ATTRIBUTES.has(name) && !/^https?:\/\//i.test(value.trim())) found.push(`${el.name} ${name}=${value}`)
      }
      visit(el.children)
    }
  }
  visit(parseDocument(html).children)
  return found
}

export const links = (html: string): string[] => {
  const hrefs: string[] = []
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type !== 'tag') continue
      if (node.attribs.href !== undefined) hrefs.push(node.attribs.href)
      visit(node.children)
    }
  }
  visit(parseDocument(html).children)
  return hrefs
}
