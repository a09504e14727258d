// Renders an alert job into the message parts. Every piece of visitor text is escaped.
import type { AlertJob } from '../../durable-objects/alert-job'

export type RenderInput = { job: AlertJob; alertName: string; description: string }
export type Rendered = { subject: string; text: string; html: string }

const escapeHtml = (s: string) =>
  s.replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`)

const safeHref = (url: string) => (/^https?:\/\//i.test(url) ? escapeHtml(url) : '#')

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`

/** Header-safe: one line, no control characters, bounded. */
export const headerText = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 150)

export function renderAlert({ job, alertName, description }: RenderInput): Rendered {
  const c = job.contact
  const who = c.name || c.email
  const rows: Array<[string, string]> = [
    ['Name', c.name],
    ['E-mail', c.email],
    ['Company', c.company],
    ['Phone', c.phone],
    ['Owner', c.ownerName || c.ownerEmail || ''],
    ['Tags', c.tags.join(', ')],
    ['Score', String(c.score)],
    ['Identified by', c.identifiedBy],
  ]
  const history = job.recentActivity.map((a) => `${a.type} ${a.title || a.url || ''}${a.visibleMs ? ` (${seconds(a.visibleMs)})` : ''}`)
  const text = [
    description,
    '',
    `${who} spent ${seconds(job.visit.visibleMs)} on ${job.visit.title} — ${job.visit.url}`,
    '',
    ...rows.map(([k, val]) => `${k}: ${val}`),
    '',
    'Recent activity:',
    ...history.map((h) => `- ${h}`),
  ].join('\n')
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif">
<p>${escapeHtml(description)}</p>
<h2>${escapeHtml(who)} spent ${seconds(job.visit.visibleMs)} on <a href="${safeHref(job.visit.url)}">${escapeHtml(job.visit.title || job.visit.url)}</a></h2>
<table>${rows.map(([k, val]) => `<tr><th align="left">${k}</th><td>${escapeHtml(val)}</td></tr>`).join('')}</table>
<h3>Recent activity</h3><ul>${history.map((h) => `<li>${escapeHtml(h)}</li>`).join('')}</ul>
</body></html>`
  return { subject: headerText(`[Pagebell] ${alertName}`), text, html }
}
