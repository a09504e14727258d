// The wizard's form as typed (strings, checkboxes, one pattern/minSeconds pair per row), turned
// into the same JSON shape the REST API takes, so one check (`checkNewAlert`) serves both. A new
// alert may instead be about a form (`trigger: 'form'`): that draft becomes the form alert's
// input (`checkFormAlert`), saved as a campaign.
import type { AlertRow } from '../db/queries/alerts'
import type { FrequencyPeriod } from '../db/schema'

export type WizardTrigger = 'page' | 'form'

export type WizardDraft = {
  /** What the alert is about: pages read (an alert) or a form submitted (a campaign). */
  trigger: WizardTrigger
  name: string
  /** Any form, or the one whose given id / name / action match. */
  formMatch: 'any' | 'one'
  formId: string
  formName: string
  formAction: string
  pages: Array<{ pattern: string; minSeconds: string }>
  frequency: FrequencyPeriod | 'custom'
  count: string
  period: FrequencyPeriod
  notifyCreator: boolean
  notifyOwner: boolean
  cc: string
  description: string
  attachmentFormat: string
  attachmentTemplate: string
  templateHtml: string
  active: boolean
}

export const emptyDraft = (trigger: WizardTrigger = 'page'): WizardDraft => ({
  trigger,
  name: '',
  formMatch: 'any',
  formId: '',
  formName: '',
  formAction: '',
  pages: [{ pattern: '', minSeconds: '0' }],
  frequency: 'day',
  count: '2',
  period: 'day',
  notifyCreator: false,
  notifyOwner: true,
  cc: '',
  description: '',
  attachmentFormat: '',
  attachmentTemplate: '',
  templateHtml: '',
  active: true,
})

export const draftFromAlert = (a: AlertRow): WizardDraft => ({
  ...emptyDraft(),
  name: a.name,
  pages: a.pages.map((p) => ({ pattern: p.pattern, minSeconds: String(p.minSeconds) })),
  frequency: a.frequencyCount === 1 ? a.frequencyPeriod : 'custom',
  count: String(a.frequencyCount),
  period: a.frequencyPeriod,
  notifyCreator: a.notifyCreator,
  notifyOwner: a.notifyOwner,
  cc: a.cc,
  description: a.description,
  attachmentFormat: a.attachmentFormat ?? '',
  attachmentTemplate: a.attachmentTemplate ?? '',
  templateHtml: a.templateHtml ?? '',
  active: a.active,
})

const PERIODS: readonly string[] = ['day', 'week', 'month']
const isPeriod = (s: string): s is FrequencyPeriod => PERIODS.includes(s)
const str = (v: unknown) => (typeof v === 'string' ? v : '')

export function draftFromForm(form: FormData): WizardDraft {
  const patterns = form.getAll('pattern').map(str)
  const seconds = form.getAll('minSeconds').map(str)
  const frequency = str(form.get('frequency'))
  const period = str(form.get('period'))
  return {
    trigger: str(form.get('trigger')) === 'form' ? 'form' : 'page',
    name: str(form.get('name')),
    formMatch: str(form.get('formMatch')) === 'one' ? 'one' : 'any',
    formId: str(form.get('formId')),
    formName: str(form.get('formName')),
    formAction: str(form.get('formAction')),
    pages: patterns.map((pattern, i) => ({ pattern, minSeconds: seconds[i] ?? '' })),
    frequency: frequency === 'custom' || isPeriod(frequency) ? frequency : 'day',
    count: str(form.get('count')),
    period: isPeriod(period) ? period : 'day',
    notifyCreator: form.has('notifyCreator'),
    notifyOwner: form.has('notifyOwner'),
    cc: str(form.get('cc')),
    description: str(form.get('description')),
    attachmentFormat: str(form.get('attachmentFormat')),
    attachmentTemplate: str(form.get('attachmentTemplate')),
    templateHtml: str(form.get('templateHtml')),
    active: form.has('active'),
  }
}

/** A whole number stays a number; anything else is passed on as typed, for the check to name. */
const numberOrText = (s: string, empty: number) => (s.trim() === '' ? empty : /^\s*\d{1,9}\s*$/.test(s) ? Number(s) : s)

const frequencyInput = (d: WizardDraft) =>
  d.frequency === 'custom' ? { count: numberOrText(d.count, Number.NaN), period: d.period } : { count: 1, period: d.frequency }

/** The REST API's body for this draft. */
export function draftToInput(d: WizardDraft) {
  const template = d.attachmentTemplate.trim() ? d.attachmentTemplate : null
  return {
    name: d.name,
    pages: d.pages.map((p) => ({ pattern: p.pattern, minSeconds: numberOrText(p.minSeconds, 0) })),
    frequency: frequencyInput(d),
    notifyCreator: d.notifyCreator,
    notifyOwner: d.notifyOwner,
    cc: d.cc,
    description: d.description,
    attachmentTemplate: template,
    attachmentFormat: d.attachmentFormat || null,
    templateHtml: d.templateHtml.trim() ? d.templateHtml : null,
    active: d.active,
  }
}

/** The form alert's input for this draft (`checkFormAlert`): a page alert's fields, a form instead of pages. */
export function draftToFormAlert(d: WizardDraft) {
  const { pages: _, ...rest } = draftToInput(d)
  return { ...rest, form: { match: d.formMatch, id: d.formId, name: d.formName, action: d.formAction } }
}
