// The one check an alert passes before it is saved, for the REST API and the wizard alike, and
// the schemas the API's OpenAPI document is generated from. Field rules (valibot) first, then
// the rules that span fields (recipients, attachment). A failure names the field as a dot path
// (`pages.0.pattern`) with a sentence for people.
import * as v from 'valibot'
import { validatePattern } from '../../durable-objects/rules/url-pattern'
import type { AlertValues } from '../db/queries/alerts'
import { ALERT_CONTENT_LIMITS, ATTACHMENT_FORMATS } from '../../durable-objects/contracts/campaign'
import { utf8Bytes } from '../../durable-objects/rules/bounded-job'
import { attachmentErrors, templateRefusal } from './alert-content'
import { CC_MAX_CHARS, parseCcList, validateAlertRecipients } from '../delivery/recipients'
import { fieldErrors, type FieldError } from '../field-errors'

export const LIMITS = {
  name: 120,
  rows: 20,
  minSeconds: 86_400,
  frequencyCount: 100,
  ...ALERT_CONTENT_LIMITS,
} as const
const PERIODS = ['day', 'week', 'month'] as const

const Name = v.pipe(
  v.string('the name must be text'),
  v.trim(),
  v.minLength(1, 'give the alert a name'),
  v.maxLength(LIMITS.name, `the name is at most ${LIMITS.name} characters`),
  v.regex(/^\P{Cc}*$/u, 'the name cannot contain control characters (line breaks, tabs)'),
  v.description('Trimmed; no control characters.'),
)

const Pattern = v.pipe(
  v.string('the pattern must be text'),
  v.trim(),
  v.rawCheck(({ dataset, addIssue }) => {
    const reason = dataset.typed ? validatePattern(dataset.value) : null
    if (reason) addIssue({ message: reason })
  }),
  v.metadata({ example: '/pricing/**' }),
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
  v.description('The alert fires when any row matches. Pattern rules: docs/url-patterns.md.'),
)

const Frequency = v.pipe(
  v.strictObject(
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
  ),
  v.description('At most `count` alerts per contact per calendar period (workspace time zone).'),
)

const Cc = v.pipe(
  v.string('the CC list is text'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    const parsed = parseCcList(dataset.value)
    if (!parsed.ok) addIssue({ message: parsed.reason })
  }),
  v.description(`Comma-separated addresses, at most ${CC_MAX_CHARS} characters; stored normalised. At least one recipient overall.`),
)

const TemplateHtml = v.nullable(
  v.pipe(
    v.string('the template is text'),
    v.rawCheck(({ dataset, addIssue }) => {
      const reason = dataset.typed ? templateRefusal(dataset.value, 'html', 'the template') : null
      if (reason) addIssue({ message: reason })
    }),
    v.description('Custom HTML e-mail template (Liquid), at most 100 KB; null = the default template.'),
  ),
)

/** Every field a marketer sets, as the API reads and shows it. */
export const ALERT_FIELDS = {
  name: Name,
  pages: Pages,
  frequency: Frequency,
  notifyCreator: v.pipe(v.boolean('notifyCreator is true or false'), v.description('"Me": the user who created the alert.')),
  notifyOwner: v.pipe(v.boolean('notifyOwner is true or false'), v.description("The contact's owner.")),
  cc: Cc,
  description: v.pipe(
    v.string('the description is text'),
    v.maxLength(LIMITS.description, `the description is at most ${LIMITS.description} characters`),
  ),
  attachmentTemplate: v.nullable(
    v.pipe(
      v.string('the attachment template is text'),
      v.check((s) => utf8Bytes(s) <= LIMITS.templateBytes, 'the attachment template is over 100 KB'),
      v.description('Liquid template; with attachmentFormat, both or neither.'),
    ),
  ),
  attachmentFormat: v.nullable(v.picklist(ATTACHMENT_FORMATS, 'the attachment format is txt, csv, html or json')),
  templateHtml: TemplateHtml,
  active: v.boolean('active is true or false'),
}

/** The body of a new alert: only `name` and `pages` are required. */
export const NewAlertBody = v.pipe(
  v.strictObject(
    {
      name: ALERT_FIELDS.name,
      pages: ALERT_FIELDS.pages,
      frequency: v.optional(ALERT_FIELDS.frequency, { count: 1, period: 'day' }),
      notifyCreator: v.optional(ALERT_FIELDS.notifyCreator, false),
      notifyOwner: v.optional(ALERT_FIELDS.notifyOwner, true),
      cc: v.optional(ALERT_FIELDS.cc, ''),
      description: v.optional(ALERT_FIELDS.description, ''),
      attachmentTemplate: v.optional(ALERT_FIELDS.attachmentTemplate, null),
      attachmentFormat: v.optional(ALERT_FIELDS.attachmentFormat, null),
      templateHtml: v.optional(ALERT_FIELDS.templateHtml, null),
      active: v.optional(ALERT_FIELDS.active, true),
    },
    'the body must be a JSON object',
  ),
  v.metadata({ ref: 'AlertInput' }),
)

/** The body of a change: any of the fields; the merged alert must still pass every rule. */
export const AlertPatchBody = v.pipe(
  v.partial(v.strictObject(ALERT_FIELDS, 'the body must be a JSON object')),
  v.metadata({ ref: 'AlertPatch' }),
)

export type Checked = { ok: true; value: AlertValues } | { ok: false; errors: FieldError[] }

/** The rules that span fields, run on the whole alert after the field rules passed. */
function crossCheck(values: AlertValues): Checked {
  const errors: FieldError[] = []
  const recipients = validateAlertRecipients(values)
  if (!recipients.ok) errors.push({ field: 'cc', reason: recipients.reason })
  errors.push(...attachmentErrors(values))
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { ...values, cc: recipients.ok ? recipients.cc : values.cc } }
}

/** A new alert whose fields passed `NewAlertBody`, checked as a whole. */
export function completeNewAlert(body: v.InferOutput<typeof NewAlertBody>): Checked {
  const { frequency, ...rest } = body
  return crossCheck({ ...rest, frequencyCount: frequency.count, frequencyPeriod: frequency.period })
}

/** A PATCH whose fields passed `AlertPatchBody`: only the given fields change. */
export function completeAlertChange(current: AlertValues, patch: v.InferOutput<typeof AlertPatchBody>): Checked {
  const { frequency, ...given } = patch
  const changes = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined))
  const merged: AlertValues = { ...current, ...changes }
  if (frequency) Object.assign(merged, { frequencyCount: frequency.count, frequencyPeriod: frequency.period })
  return crossCheck(merged)
}

/** The whole check of an untrusted new alert (the wizard's form turned into the API's body). */
export function checkNewAlert(input: unknown): Checked {
  // valibot's object schemas take an array as an object.
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, errors: [{ field: 'body', reason: 'the body must be a JSON object' }] }
  const parsed = v.safeParse(NewAlertBody, input)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.issues) }
  return completeNewAlert(parsed.output)
}
