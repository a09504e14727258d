// A scripted visitor of a lane's site, speaking the collect wire format (sdk/wire.ts) as the
// tracking script does: text/plain JSON batches from the site's origin with a browser's user
// agent. It can replay a batch it sent, or send what no browser would (the forged batch).
import { randomBytes } from 'node:crypto'
import type { OutgoingEvent } from '../../sdk/wire'
import { ORIGIN, type Lane } from './fixture'
import { httpRequest } from './http-request'

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36'

/** A fresh id the wire accepts (8-64 url-safe characters). */
export const newId = (prefix: string) => `${prefix}${randomBytes(9).toString('base64url')}`

export type CollectAnswer = { status: number; body: string }

export class Visitor {
  readonly id = newId('visitor')
  readonly email: string

  constructor(
    private readonly baseUrl: () => string,
    readonly lane: Lane,
    name: string,
  ) {
    this.email = `${name}-${randomBytes(4).toString('hex')}@buyer.test`
  }

  async post(events: OutgoingEvent[], visitorId = this.id): Promise<CollectAnswer> {
    return httpRequest(`${this.baseUrl()}/api/collect`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: ORIGIN, 'user-agent': UA },
      body: JSON.stringify({ site: this.lane.siteKey, visitor: visitorId, events }),
    })
  }

  /** Fails the case at once on anything but 200: every batch the suite sends is one a real page sends. */
  async send(events: OutgoingEvent[], visitorId = this.id): Promise<CollectAnswer> {
    const answer = await this.post(events, visitorId)
    if (answer.status !== 200) throw new Error(`collect answered ${answer.status}: ${answer.body}`)
    return answer
  }

  /** The contact form with the visitor's e-mail: the visitor becomes a contact of the lane's site. */
  identifyEvents(): OutgoingEvent[] {
    const visit = newId('visit')
    return [
      { id: newId('evt'), type: 'pageview', visit, url: this.lane.contactUrl, title: 'Contact us' },
      {
        id: newId('evt'),
        type: 'form',
        visit,
        form: { id: 'contact', name: 'contact' },
        fields: { email: this.email, name: 'Fault Visitor' },
      },
    ]
  }

  async identify(): Promise<void> {
    await this.send(this.identifyEvents())
  }

  /** A page view of the lane's pricing page; the alert is due LANE_MIN_SECONDS after it arrives. */
  pricingView(): { visit: string; event: OutgoingEvent } {
    const visit = newId('visit')
    return { visit, event: { id: newId('evt'), type: 'pageview', visit, url: this.lane.pricingUrl, title: 'Pricing' } }
  }

  /** Opens the pricing page and stays: returns the visit and when its page view was answered. */
  async viewPricing(): Promise<{ visit: string; at: number }> {
    const { visit, event } = this.pricingView()
    await this.send([event])
    return { visit, at: Date.now() }
  }

  async heartbeat(visit: string, visibleMs: number): Promise<CollectAnswer> {
    return this.send([{ id: newId('evt'), type: 'engage', visit, state: 'heartbeat', visibleMs }])
  }
}
