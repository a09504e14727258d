// The one check an alert passes before it is saved, for the REST API and the wizard alike.
// Field rules (valibot) first, then the rules that span fields (recipients, attachment).
// A failure names the field as a dot path (`pages.0.pattern`) with a sentence for people.
import * as v from 'valibot'
import { validatePattern } from '../../durable-objects/rules/url-pattern'
import type { AlertPageRow, FrequencyPeriod } from '../db/schema'
import { templateError, type OutputKind } from '../delivery/liquid'
import { parseCcList, validateAlertRecipients } from '../delivery/recipients'

export const LIMITS = { name: 120, rows: 20, minSeconds: 86_400, frequencyCount: 100, description: 2_000, templateBytes: 100 * 1024 } as const
export const ATTACHMENT_FORMATS = ['txt', 'csv', 'html', 'json'] as const
export type AttachmentFormat = (typeof ATTACHMENT_FORMATS)[number]
const PERIODS = ['day', 'week', 'month'] as const

/** What an alert is made of: the columns a marketer sets. */
export type AlertValues = {
  name: string
  pages: AlertPageRow[]
  frequencyCount: number
  frequencyPeriod: FrequencyPeriod
  notifyCreator: boolean
  notifyOwner: boolean
  cc: string
  description: string
  attachmentTemplate: string | null
  attachmentFormat: AttachmentFormat | null
  templateHtml: string | null
  active: boolean
}

const Name = v.pipe(
  v.string('the name must be text'),
  v.trim(),
  v.minLength(1, 'give the alert a name'),
  v.maxLength(LIMITS.name, `the name is at most ${LIMITS.name} characters`),
  v.regex(/^\P{Cc}*$/u, 'the name cannot contain control characters (line breaks, tabs)'),
)

const Pattern = v.pipe(
  v.string('the pattern must be text'),
  v.trim(),
  v.rawCheck(({ dataset, addIssue }) => {
    const reason = dataset.typed ? validatePattern(dataset.value) : null
    if (reason) addIssue({ message: reason })
  }),
)

const PageRow = v.strictObject(
  {
    pattern: Pattern,
    minSeconds: v.pipe(
      v.number('the minimum time is a number of seconds'),
      v.integer('the minimum time is a whole number of seconds'),
      v.minValue(0, 'the minimum time cannot be negative'),
      v.maxValue(LIMITS.minSeconds, `the minimum time is at most ${LIMITS.minSeconds} seconds (one day)`),
    ),
  },
  'each page row is {pattern, minSeconds}',
)

const Pages = v.pipe(
  v.array(PageRow, 'pages is a list of {pattern, minSeconds}'),
  v.minLength(1, 'add at least one page'),
  v.maxLength(LIMITS.rows, `at most ${LIMITS.rows} page rows`),
)

const Frequency = v.strictObject(
  {
    count: v.pipe(
      v.number('the count is a number'),
      v.integer('the count is a whole number'),
      v.minValue(1, 'at least 1 alert per period'),
      v.maxValue(LIMITS.frequencyCount, `at most ${LIMITS.frequencyCount} alerts per period`),
    ),
    period: v.picklist(PERIODS, 'the period is day, week or month'),
  },
  'frequency is {count, period}',
)

const Cc = v.pipe(
  v.string('the CC list is text'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    const parsed = parseCcList(dataset.value)
    if (!parsed.ok) addIssue({ message: parsed.reason })
  }),
)

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length

const TemplateHtml = v.nullable(
  v.pipe(
    v.string('the template is text'),
    v.check((s) => utf8Bytes(s) <= LIMITS.templateBytes, 'the template is over 100 KB'),
    v.rawCheck(({ dataset, addIssue }) => {
      const reason = dataset.typed ? templateError(dataset.value, 'html') : null
      if (reason) addIssue({ message: `the template does not parse: ${reason}` })
    }),
  ),
)

const Fields = {
  name: Name,
  pages: Pages,
  frequency: Frequency,
  notifyCreator: v.boolean('notifyCreator is true or false'),
  notifyOwner: v.boolean('notifyOwner is true or false'),
  cc: Cc,
  description: v.pipe(v.string('the description is text'), v.maxLength(LIMITS.description, `the description is at most ${LIMITS.description} characters`)),
  attachmentTemplate: v.nullable(
    v.pipe(v.string('the attachment template is text'), v.check((s) => utf8Bytes(s) <= LIMITS.templateBytes, 'the attachment template is over 100 KB')),
  ),
  attachmentFormat: v.nullable(v.picklist(ATTACHMENT_FORMATS, 'the attachment format is txt, csv, html or json')),
  templateHtml: TemplateHtml,
  active: v.boolean('active is true or false'),
}

const CreateInput = v.strictObject(
  {
    name: Fields.name,
    pages: Fields.pages,
    frequency: v.optional(Fields.frequency, { count: 1, period: 'day' }),
    notifyCreator: v.optional(Fields.notifyCreator, false),
    notifyOwner: v.optional(Fields.notifyOwner, true),
    cc: v.optional(Fields.cc, ''),
    description: v.optional(Fields.description, ''),
    attachmentTemplate: v.optional(Fields.attachmentTemplate, null),
    attachmentFormat: v.optional(Fields.attachmentFormat, null),
    templateHtml: v.optional(Fields.templateHtml, null),
    active: v.optional(Fields.active, true),
  },
  'the body must be a JSON object',
)

const PatchInput = v.partial(v.strictObject(Fields, 'the body must be a JSON object'))

export type FieldError = { field: string; reason: string }
export type Checked = { ok: true; value: AlertValues } | { ok: false; errors: FieldError[] }

const KINDS: Record<AttachmentFormat, OutputKind> = { txt: 'text', csv: 'csv', html: 'html', json: 'json' }

function issuesToErrors(issues: v.BaseIssue<unknown>[]): FieldError[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue) ?? ''
    // strictObject reports an unexpected key as an issue on that key, expecting `never`.
    if (issue.type === 'strict_object' && issue.expected === 'never') return { field: path, reason: 'unknown field' }
    if (issue.type === 'strict_object' && path && issue.input === undefined) return { field: path, reason: 'this field is required' }
    return { field: path || 'body', reason: issue.message }
  })
}

/** The rules that span fields, run on the whole alert after the field rules passed. */
function crossCheck(values: AlertValues): Checked {
  const errors: FieldError[] = []
  const recipients = validateAlertRecipients(values)
  if (!recipients.ok) errors.push({ field: 'cc', reason: recipients.reason })
  const { attachmentTemplate: template, attachmentFormat: format } = values
  if ((template === null) !== (format === null))
    errors.push(
      template === null
        ? { field: 'attachmentTemplate', reason: 'an attachment needs a template as well as a format' }
        : { field: 'attachmentFormat', reason: 'choose the attachment format (txt, csv, html or json)' },
    )
  else if (template !== null && format !== null) {
    const reason = templateError(template, KINDS[format])
    if (reason) errors.push({ field: 'attachmentTemplate', reason: `the attachment template does not parse: ${reason}` })
  }
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { ...values, cc: recipients.ok ? recipients.cc : values.cc } }
}

const NOT_AN_OBJECT: Checked = { ok: false, errors: [{ field: 'body', reason: 'the body must be a JSON object' }] }
const isObject = (input: unknown) => typeof input === 'object' && input !== null && !Array.isArray(input)

export function checkNewAlert(input: unknown): Checked {
  if (!isObject(input)) return NOT_AN_OBJECT
  const parsed = v.safeParse(CreateInput, input)
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.issues) }
  const { frequency, ...rest } = parsed.output
  return crossCheck({ ...rest, frequencyCount: frequency.count, frequencyPeriod: frequency.period })
}

/** A PATCH: only the given fields change; the merged alert must still pass every rule. */
export function checkAlertChange(current: AlertValues, input: unknown): Checked {
  if (!isObject(input)) return NOT_AN_OBJECT
  const parsed = v.safeParse(PatchInput, input)
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.issues) }
  const { frequency, ...given } = parsed.output
  const changes = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined))
  const merged: AlertValues = { ...current, ...changes }
  if (frequency) Object.assign(merged, { frequencyCount: frequency.count, frequencyPeriod: frequency.period })
  return crossCheck(merged)
}
