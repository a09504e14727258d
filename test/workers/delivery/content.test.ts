// Alert content: the default template, an imported template with the documented variables,
// a broken imported template, and attachments in each format.
import { describe, expect, it } from 'vitest'
import { renderAlert, type AlertContent } from '../../../worker/delivery/content/render-alert'
import { templateError } from '../../../worker/delivery/content/liquid'
import { deliverOnce, deliveryContext, jobFor, mailsFor, seedAlert, smtp } from './support'

const content = (overrides: Partial<AlertContent> = {}): AlertContent => ({
  name: 'Pricing interest',
  description: 'Call them',
  templateHtml: null,
  attachmentTemplate: null,
  attachmentFormat: null,
  ...overrides,
})

describe('alert content', () => {
  it('shows the recent activity with pages, times and form values in both parts', async () => {
    const r = await renderAlert(jobFor('alr_x'), content())
    for (const part of [r.text, r.html]) {
      expect(part).toContain('Home')
      expect(part).toContain('20 s')
      expect(part).toContain('company: Buyer Inc')
    }
  })

  it('renders an imported template with the documented variables', async () => {
    const template = `<h1>{{ alert.name }}</h1><p>{{ alert.description }}</p>
<p>{{ contact.name }}|{{ contact.email }}|{{ contact.company }}|{{ contact.phone }}|{{ contact.owner }}|{{ contact.owner_email }}|{{ contact.tags | join: "+" }}|{{ contact.score }}|{{ contact.identified_by }}</p>
<p><a href="{{ visit.url }}">{{ visit.title }}</a> {{ visit.seconds }} s since {{ visit.started_at }}, fired {{ fired_at }}</p>
<ol>{% for a in activity %}<li>{{ a.type }} {{ a.at }} {{ a.url }} {{ a.title }} {{ a.seconds }}{% for f in a.fields %} {{ f.name }}={{ f.value }}{% endfor %}</li>{% endfor %}</ol>`
    expect(templateError(template)).toBeNull()
    const job = jobFor('alr_x')
    const r = await renderAlert(job, content({ templateHtml: template }))
    expect(r.warnings).toEqual([])
    expect(r.html).toContain('<h1>Pricing interest</h1><p>Call them</p>')
    expect(r.html).toContain(
      `Dana Buyer|${job.contact.email}|Buyer Inc|+33 1 23 45 67 89|Olivia Owner|${job.contact.ownerEmail}|hot+trial|70|form submission`,
    )
    expect(r.html).toContain('<a href="https://shop.test/pricing/plans">Plans</a> 12 s since')
    expect(r.html).toContain('form ')
    expect(r.html).toContain('company=Buyer Inc')
  })

  it('falls back to the default template, with a warning, when an imported one does not parse', async () => {
    expect(templateError('{% if %}')).toMatch(/.+/)
    const r = await renderAlert(jobFor('alr_x'), content({ templateHtml: '{% for x in %}' }))
    expect(r.warnings[0]).toMatch(/^imported template failed, default used/)
    expect(r.html).toContain('Dana Buyer')
  })

  it('escapes formula cells in a CSV attachment', async () => {
    const base = jobFor('alr_x')
    const job = {
      ...base,
      contact: { ...base.contact, name: '=HYPERLINK("http://evil.test","x")', company: '+SUM(A1)', phone: '-2+3', email: '@cmd@x.test' },
    }
    const r = await renderAlert(
      job,
      content({
        attachmentFormat: 'csv',
        attachmentTemplate:
          'name,company,phone,email,score\n{{ contact.name }},{{ contact.company }},{{ contact.phone }},{{ contact.email }},{{ contact.score }}\n',
      }),
    )
    const [attachment] = r.attachments
    expect(attachment).toMatchObject({ filename: 'pricing-interest.csv', mimeType: 'text/csv' })
    expect(attachment!.content.split('\n')[1]).toBe(`"'=HYPERLINK(""http://evil.test"",""x"")","'+SUM(A1)","'-2+3","'@cmd@x.test","70"`)
  })

  it('produces a JSON attachment that parses, with visitor text escaped inside strings', async () => {
    const base = jobFor('alr_x')
    const job = { ...base, contact: { ...base.contact, name: 'Dana "DB" \\ Buyer\n", "admin": true, "x": "' } }
    const r = await renderAlert(
      job,
      content({
        attachmentFormat: 'json',
        attachmentTemplate: '{"name": "{{ contact.name }}", "score": {{ contact.score }}, "tags": {{ contact.tags | json | raw }}}',
      }),
    )
    expect(JSON.parse(r.attachments[0]!.content)).toEqual({ name: job.contact.name, score: 70, tags: ['hot', 'trial'] })
  })

  it('renders txt and html attachments, the html one escaped and sanitised', async () => {
    const base = jobFor('alr_x')
    const job = { ...base, contact: { ...base.contact, name: '<script>x()</script>' } }
    const txt = await renderAlert(job, content({ attachmentFormat: 'txt', attachmentTemplate: 'Contact: {{ contact.name }}' }))
    expect(txt.attachments[0]).toEqual({
      filename: 'pricing-interest.txt',
      mimeType: 'text/plain',
      content: 'Contact: <script>x()</script>',
    })
    const html = await renderAlert(
      job,
      content({ attachmentFormat: 'html', attachmentTemplate: '<p>{{ contact.name }}</p><script>y()</script>' }),
    )
    expect(html.attachments[0]!.content).toBe('<p>&lt;script&gt;x()&lt;/script&gt;</p>')
  })

  it('sends the attachment with the alert over SMTP', async () => {
    const alert = await seedAlert({ attachmentFormat: 'csv', attachmentTemplate: 'email,score\n{{ contact.email }},{{ contact.score }}\n' })
    const job = jobFor(alert.id)
    expect(await deliverOnce(deliveryContext(smtp()), job)).toMatchObject({ acked: true })
    const [mail] = await mailsFor(job.contact.ownerEmail!)
    expect(mail!.attachments).toEqual([
      { filename: 'pricing-interest.csv', contentType: 'text/csv', content: `email,score\n"${job.contact.email}","70"\n` },
    ])
  })
})
