// The bench alert's e-mails as the SMTP sink received them: each carries its alert key
// (`X-Pagebell-Alert-Key`: alert, contact, period, n-th of the period) and names the page that
// fired it (unique per page view in this bench), so a message sent twice shows either way.
import type { ReceivedMail } from '../../scripts/mail-sink'

export type Delivered = {
  messages: number
  /** Distinct alert keys received, per server contact id. */
  perContact: Map<string, number>
  /** Messages beyond the first for one alert key, or for one page view (contact + visit). */
  duplicateKeys: number
  duplicateVisits: number
}

const ALERT_KEY = 'x-pagebell-alert-key'
const BENCH_PAGE = /\/demo\/bench\/c\d+\/p\d+/

export const isBenchAlert = (alertId: string) => (m: ReceivedMail) => (m.headers[ALERT_KEY] ?? '').startsWith(`${alertId}:`)

export function countDelivered(messages: ReceivedMail[], alertId: string): Delivered {
  const mine = messages.filter(isBenchAlert(alertId))
  const keys = new Map<string, number>()
  const visits = new Map<string, number>()
  for (const m of mine) {
    const key = m.headers[ALERT_KEY]!
    keys.set(key, (keys.get(key) ?? 0) + 1)
    const page = BENCH_PAGE.exec(m.text)?.[0] ?? `no page in message ${m.id}`
    visits.set(page, (visits.get(page) ?? 0) + 1)
  }
  const perContact = new Map<string, number>()
  for (const key of keys.keys()) {
    const contactId = key.split(':')[1] ?? ''
    perContact.set(contactId, (perContact.get(contactId) ?? 0) + 1)
  }
  const extra = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + n - 1, 0)
  return { messages: mine.length, perContact, duplicateKeys: extra(keys), duplicateVisits: extra(visits) }
}
