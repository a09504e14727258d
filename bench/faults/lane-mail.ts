// Counting alerts where they end up: at the SMTP sink. A lane's messages are those addressed to
// its owner or CCs; each is one alert by its `X-Pagebell-Alert-Key`, so a second message with a
// key already seen is a duplicate. Each alert shows its contact's e-mail, which tells whether
// every contact the case expected got one.
import type { MailSink, ReceivedMail } from '../../scripts/mail-sink'
import type { Lane } from './fixture'

export type LaneCount = {
  /** Distinct alerts (alert keys) that arrived. */
  alerts: number
  /** Messages beyond the first for the same alert key. */
  duplicated: number
  /** Expected contacts (e-mails) no alert arrived for. */
  missing: string[]
  messages: ReceivedMail[]
}

const alertKey = (m: ReceivedMail) => m.headers['x-pagebell-alert-key'] ?? `(no key) ${m.id}`

export function laneMessages(sink: MailSink, lane: Lane): ReceivedMail[] {
  const addresses = new Set([lane.ownerEmail, ...lane.cc].map((a) => a.toLowerCase()))
  return sink.messages.filter((m) => m.envelopeTo.some((a) => addresses.has(a.toLowerCase())))
}

/** `emails`: the contacts (by e-mail, which every alert shows) the case expects one alert for each. */
export function countLane(sink: MailSink, lane: Lane, emails: string[]): LaneCount {
  const messages = laneMessages(sink, lane)
  const keys = new Set(messages.map(alertKey))
  return {
    alerts: keys.size,
    duplicated: messages.length - keys.size,
    missing: emails.filter((email) => !messages.some((m) => m.text.includes(email))),
    messages,
  }
}

/** When each of the lane's messages reached the sink, `from` subtracted, in arrival order. */
export const arrivals = (sink: MailSink, lane: Lane, from: number): number[] => laneMessages(sink, lane).map((m) => m.receivedAt - from)

/** Polls the sink until every expected contact's alert is there, or the deadline passes. */
export async function waitForLane(sink: MailSink, lane: Lane, emails: string[], deadline: number): Promise<LaneCount> {
  for (;;) {
    const count = countLane(sink, lane, emails)
    if (count.missing.length === 0 || Date.now() >= deadline) return count
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
