// Helpers for Workers-pool tests: post batches to the collect endpoint as a browser would,
// and read what the real SMTP sink received.
import { SELF, env } from 'cloudflare:test'
import type { OutgoingEvent } from '../../../sdk/wire'
import type { ReceivedMail } from '../../support/received-mail'

export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36'

let counter = 0
/** A fresh url-safe id, unique within the run. */
export const newId = (prefix = 'id') => `${prefix}${Date.now().toString(36)}${(counter++).toString(36).padStart(4, '0')}`

export function postBatch(body: unknown, init: { origin?: string; contentType?: string; ua?: string } = {}) {
  return SELF.fetch('https://pagebell.test/api/collect', {
    method: 'POST',
    headers: {
      'content-type': init.contentType ?? 'text/plain',
      origin: init.origin ?? 'http://localhost:8787',
      'user-agent': init.ua ?? BROWSER_UA,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export async function send(site: string, visitor: string, events: OutgoingEvent[]) {
  const res = await postBatch({ site, visitor, events })
  if (res.status !== 200) throw new Error(`collect answered ${res.status}: ${await res.text()}`)
  return res.json<{ accepted: number; duplicates: number }>()
}

export async function mails(): Promise<ReceivedMail[]> {
  const res = await fetch(`${env.MAIL_SINK_URL}/messages`)
  return res.json<ReceivedMail[]>()
}

/**
 * Polls the sink until a matching message arrives (the queue consumer runs asynchronously). The
 * deadline is generous: on a loaded machine the local queue hands batches over one at a time.
 */
export async function waitForMail(match: (m: ReceivedMail) => boolean, timeoutMs = 30_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = (await mails()).find(match)
    if (found) return found
    if (Date.now() > deadline) throw new Error('no matching mail arrived')
    await scheduler.wait(100)
  }
}
