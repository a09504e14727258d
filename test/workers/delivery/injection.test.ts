// Hostile input: CC lists that try to add headers or recipients, and visitor text (page titles,
// form values, URLs) that tries to put live HTML or links into the alert.
import { describe, expect, it } from 'vitest'
import { parseCcList, validateAlertRecipients } from '../../../worker/delivery/recipients'
import { renderAlert } from '../../../worker/delivery/content/render-alert'
import { liveContent, links } from './live-html'
import { deliverOnce, deliveryContext, jobFor, mailsFor, newId, outbox, seedAlert, smtp } from './support'

const HOSTILE = {
  title: '<script>alert(1)</script><img src=x onerror=alert(2)>',
  url: 'javascript:alert(3)',
  field: '"><svg onload=alert(4)><a href="javascript:alert(5)">x</a>',
}

const alertContent = (templateHtml: string | null = null) => ({
  name: 'Pricing <b>interest</b>',
  description: '<i>Call</i> them',
  templateHtml,
  attachmentTemplate: null,
  attachmentFormat: null,
})

function hostileJob() {
  const base = jobFor('alr_x')
  return {
    ...base,
    contact: { ...base.contact, name: HOSTILE.title, company: HOSTILE.field, tags: [HOSTILE.title] },
    visit: { ...base.visit, url: HOSTILE.url, title: HOSTILE.title },
    recentActivity: [
      { type: 'pageview' as const, at: base.firedAt, url: 'JaVaScRiPt:alert(6)', title: HOSTILE.title, visibleMs: 1000 },
      { type: 'pageview' as const, at: base.firedAt, url: ' java\tscript:alert(7)', title: 'tab trick', visibleMs: 1000 },
      { type: 'form' as const, at: base.firedAt, detail: { message: HOSTILE.field, email: 'x@y.test' } },
    ],
  }
}

describe('recipient injection', () => {
  it('refuses CC lists with CR/LF, Bcc: tricks, 51 addresses or 256 characters when saved', () => {
    const settings = { notifyCreator: false, notifyOwner: true }
    const fiftyOne = Array.from({ length: 51 }, (_, i) => `a${i}@x.io`).join(',')
    const longOne = `${'a'.repeat(246)}@acme.test`
    expect(longOne.length + 0).toBe(256)
    for (const cc of [
      'a@acme.test\r\nBcc: spy@evil.test',
      'a@acme.test\nBcc: spy@evil.test',
      'Bcc: spy@evil.test',
      'a@acme.test, "Bcc: spy@evil.test" <spy@evil.test>',
      'a@acme.test%0d%0aBcc:spy@evil.test',
      'spy@evil.test>,<x@acme.test',
      fiftyOne,
      longOne,
      `${'b'.repeat(240)}@acme.test, c@acme.test`,
    ]) {
      expect(validateAlertRecipients({ ...settings, cc }), JSON.stringify(cc).slice(0, 60)).toMatchObject({ ok: false })
    }
  })

  it('accepts a list of exactly 255 characters and stores it trimmed and without duplicates', () => {
    const many = Array.from({ length: 27 }, (_, i) => `a${String(i).padStart(2, '0')}@x.io`)
    const list = [...many, 'zzzz@acme.io'].join(',')
    expect(list.length).toBe(255)
    expect(parseCcList(list)).toEqual({ ok: true, addresses: [...many, 'zzzz@acme.io'] })
    expect(validateAlertRecipients({ notifyCreator: false, notifyOwner: false, cc: ' A@x.io, a@x.io ,b@x.io' })).toEqual({
      ok: true,
      cc: 'A@x.io, b@x.io',
    })
    expect(validateAlertRecipients({ notifyCreator: false, notifyOwner: false, cc: '' })).toMatchObject({ ok: false })
  })

  it('at send time, ignores a CC list written around the API and still alerts the owner, with no Bcc', async () => {
    const spy = `spy-${newId('s')}@evil.test`
    const alert = await seedAlert({ cc: `ok@acme.test\r\nBcc: ${spy}` })
    const job = jobFor(alert.id)
    expect(await deliverOnce(deliveryContext(smtp()), job)).toMatchObject({ acked: true })
    const [mail] = await mailsFor(job.contact.ownerEmail!)
    expect(mail!.envelopeTo).toEqual([job.contact.ownerEmail])
    expect(mail!.cc).toEqual([])
    expect(mail!.headers.bcc).toBeUndefined()
    expect(await mailsFor(spy)).toHaveLength(0)
    const row = await outbox(job.alertKey)
    expect(row.attemptLog[0]!.detail).toContain('CC list ignored: the CC list contains a line break')
  })

  it('never lets an owner address with a line break reach a header', async () => {
    const alert = await seedAlert({ cc: '' })
    const base = jobFor(alert.id)
    const job = { ...base, contact: { ...base.contact, ownerEmail: 'o@acme.test\r\nBcc: spy@evil.test' } }
    expect(await deliverOnce(deliveryContext(smtp()), job)).toMatchObject({ acked: true })
    const row = await outbox(job.alertKey)
    expect(row).toMatchObject({ status: 'failed' })
    expect(row.error).toContain('no reachable recipient')
  })
})

describe('content injection', () => {
  it('renders hostile titles, form values and javascript: links in the default template as inert text', async () => {
    const rendered = await renderAlert(hostileJob(), alertContent())
    expect(liveContent(rendered.html)).toEqual([])
    expect(links(rendered.html).every((h) => h.startsWith('https://'))).toBe(true)
    expect(rendered.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    // The subject carries only the alert's name, never the visitor's text.
    expect(rendered.subject).toBe('[Pagebell] Pricing <b>interest</b>')
    expect(rendered.subject).not.toContain('alert(')
  })

  it('keeps an imported template inert even when it uses | raw or writes script itself', async () => {
    const template = `<p onclick="x()">{{ contact.name | raw }}</p><script>steal()</script>
<a href="{{ visit.url }}">visit</a><a href="javascript:{{ contact.email }}">mail</a>
<iframe srcdoc="<script>x</script>"></iframe><img src="data:image/svg+xml,<svg onload=alert(1)>">
{% for a in activity %}{% for f in a.fields %}<span title="{{ f.value }}">{{ f.value | raw }}</span>{% endfor %}{% endfor %}`
    const rendered = await renderAlert(hostileJob(), alertContent(template))
    expect(rendered.warnings).toEqual([])
    expect(liveContent(rendered.html)).toEqual([])
    expect(links(rendered.html).every((h) => h.startsWith('https://'))).toBe(true)
  })

  it('delivers a hostile alert whose HTML part the SMTP sink receives with nothing live', async () => {
    const alert = await seedAlert()
    const job = { ...hostileJob(), alertId: alert.id, alertKey: `${alert.id}:${newId('k')}:d:1` }
    expect(await deliverOnce(deliveryContext(smtp()), job)).toMatchObject({ acked: true })
    const [mail] = await mailsFor(job.contact.ownerEmail!)
    expect(liveContent(mail!.html)).toEqual([])
    expect(mail!.subject).toBe('[Pagebell] Pricing interest')
  })
})
