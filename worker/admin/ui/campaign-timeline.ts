// A campaign run on a contact's timeline: which campaign (linked) and version, what started it,
// and where the run stands — in progress, waiting until a time, done, or stopped and why.
import { html } from 'hono/html'
import type { TimelineJson } from '../../contacts/contact-json'
import { TRIGGER_TYPES } from './campaign-trigger-fields'
import { when } from './layout'

type Run = NonNullable<TimelineJson['campaign']>

const STATUS: Record<Run['status'], { text: string; pill: string }> = {
  running: { text: 'running', pill: 'pending' },
  waiting: { text: 'waiting', pill: 'pending' },
  done: { text: 'done', pill: 'sent' },
  stopped: { text: 'stopped', pill: 'off' },
}

/** "form-submitted" → "a form is submitted". */
const triggerText = (type: string) => {
  const label = TRIGGER_TYPES.find((t) => t.value === type)?.label ?? type
  return label.charAt(0).toLowerCase() + label.slice(1)
}

export function campaignRunItem(run: Run | undefined) {
  if (!run) return html`<span class="kind">Campaign run</span>`
  const status = STATUS[run.status]
  return html`<span class="kind">Campaign run</span> <a href="/admin/campaigns/${run.id}">${run.name}</a>
    <span class="muted">version ${run.version}, started when ${triggerText(run.trigger)}</span>
    <span class="pill ${status.pill}">${status.text}</span>
    ${run.status === 'waiting' && run.waitingUntil ? html`<br /><span class="muted">goes on ${when(run.waitingUntil)}</span>` : ''}
    ${run.status === 'done' && run.finishedAt ? html`<br /><span class="muted">finished ${when(run.finishedAt)}</span>` : ''}
    ${run.status === 'stopped' ? html`<br /><span class="muted">stopped${run.stopReason ? `: ${run.stopReason}` : ''}</span>` : ''}`
}
