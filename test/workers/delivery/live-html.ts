// Finds anything in an HTML document that a mail client or browser could run or follow to a
// non-http(s) target, using an independent parser (htmlparser2), not the sanitiser under test.
import { DomUtils, ElementType, parseDocument } from 'htmlparser2'
import type { ChildNode } from 'domhandler'

const SCRIPTING = new Set(['script', 'iframe', 'object', 'embed', 'frame', 'base', 'form'])
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster', 'srcset', 'srcdoc'])

export function liveContent(html: string): string[] {
  const found: string[] = []
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      // A tag, a <script> or a <style>: every element, whatever the parser calls it.
      if (!DomUtils.isTag(node)) continue
      if (SCRIPTING.has(node.name)) found.push(`<${node.name}>`)
      for (const [name, value] of Object.entries(node.attribs)) {
        if (name.startsWith('on')) found.push(`${node.name} ${name}=`)
        if (URL_ATTRIBUTES.has(name) && !/^https?:\/\//i.test(value.trim())) found.push(`${node.name} ${name}=${value}`)
      }
      visit(node.children)
    }
  }
  visit(parseDocument(html).children)
  return found
}

export const links = (html: string): string[] => {
  const hrefs: string[] = []
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type !== ElementType.Tag) continue
      if (node.attribs.href !== undefined) hrefs.push(node.attribs.href)
      visit(node.children)
    }
  }
  visit(parseDocument(html).children)
  return hrefs
}
