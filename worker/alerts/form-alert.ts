// A "form submitted" alert, the wizard's simple way to make that kind of campaign (one model, no
// second alert system): its fields are checked in the wizard's own terms, so each refusal sits
// beside its field, then saved through the campaign service as a campaign with a form-submitted
// trigger and one send-alert step, run every time within the wizard's frequency, and switched ON
// as the builder's activation does. The alerts list finds these campaigns again by that shape.
import * as v from 'valibot'
import { CampaignDefinition, type Recipients, type Trigger } from '../../durable-objects/contracts/campaign'
import { createCampaign, removeCampaign, switchCampaign } from '../campaigns/campaign-changes'
import type { Checked } from '../campaigns/checked'
import type { AuthUser } from '../db/queries/auth'
import { alertContent } from '../db/queries/alert-shape'
import type { StoredCampaign } from '../db/queries/campaigns'
import { parseCcList, validateAlertRecipients } from '../delivery/recipients'
import { fieldErrors, type FieldError } from '../field-errors'
import { attachmentErrors } from './alert-content'
import { ALERT_FIELDS } from './alert-input'

/** The campaign contract takes at most this many CC addresses in a step. */
const CC_MAX = 20
const FORM_TEXT_MAX = 200
/** The category the wizard's campaigns carry, as `alertAsCampaign` names page alerts. */
const CATEGORY = 'alert'
const STEP_ID = 'alert'

const FormText = v.pipe(
  v.string('this is text'),
  v.trim(),
  v.maxLength(FORM_TEXT_MAX, `at most ${FORM_TEXT_MAX} characters`),
  v.regex(/^\P{Cc}*$/u, 'no control characters (line breaks, tabs)'),
)

/** What the wizard posts for a form alert, as the wizard names its fields. */
const FormAlertBody = v.strictObject({
  name: ALERT_FIELDS.name,
  form: v.strictObject({
    match: v.picklist(['any', 'one'], 'choose any form or one form'),
    id: FormText,
    name: FormText,
    action: FormText,
  }),
  frequency: ALERT_FIELDS.frequency,
  notifyCreator: ALERT_FIELDS.notifyCreator,
  notifyOwner: ALERT_FIELDS.notifyOwner,
  cc: ALERT_FIELDS.cc,
  description: v.optional(ALERT_FIELDS.description, ''),
  attachmentTemplate: v.optional(ALERT_FIELDS.attachmentTemplate, null),
  attachmentFormat: v.optional(ALERT_FIELDS.attachmentFormat, null),
  templateHtml: v.optional(ALERT_FIELDS.templateHtml, null),
  active: ALERT_FIELDS.active,
})

export type FormAlert = { definition: CampaignDefinition; active: boolean }

type FormCheck = { ok: true; value: FormAlert } | { ok: false; errors: FieldError[] }

/** The form-submitted trigger: any form, or the one whose given id / name / action match. */
function formTrigger(form: v.InferOutput<typeof FormAlertBody>['form']): Trigger {
  if (form.match === 'any') return { type: 'form-submitted' }
  const given = Object.entries({ id: form.id, name: form.name, action: form.action }).filter(([, value]) => value !== '')
  return { type: 'form-submitted', form: Object.fromEntries(given) }
}

/** The wizard's form alert checked and turned into the campaign it is; refusals name the wizard's fields. */
export function checkFormAlert(input: unknown): FormCheck {
  const parsed = v.safeParse(FormAlertBody, input)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.issues) }
  const body = parsed.output
  const errors: FieldError[] = []
  if (body.form.match === 'one' && !body.form.id && !body.form.name && !body.form.action)
    errors.push({ field: 'form.id', reason: "give the form's id, name or action, or choose any form" })
  const recipients = validateAlertRecipients(body)
  const cc = parseCcList(body.cc)
  if (!recipients.ok) errors.push({ field: 'cc', reason: recipients.reason })
  else if (cc.ok && cc.addresses.length > CC_MAX) errors.push({ field: 'cc', reason: `a form alert has at most ${CC_MAX} CC addresses` })
  errors.push(...attachmentErrors(body))
  if (errors.length > 0 || !cc.ok) return { ok: false, errors }
  const to: Recipients = { owner: body.notifyOwner, creator: body.notifyCreator, addresses: [], cc: cc.addresses }
  const definition = v.safeParse(CampaignDefinition, {
    name: body.name,
    category: CATEGORY,
    triggers: [formTrigger(body.form)],
    steps: [{ id: STEP_ID, type: 'send-alert', to, ...alertContent(body) }],
    runLimit: { kind: 'always' },
    frequency: body.frequency,
  })
  // Every field was checked above in stricter terms; the contract refusing means the two disagree.
  if (!definition.success) return { ok: false, errors: fieldErrors(definition.issues).map((e) => ({ field: 'body', reason: e.reason })) }
  return { ok: true, value: { definition: definition.output, active: body.active } }
}

/**
 * Saves the form alert through the campaign service and switches it ON when asked, as the
 * builder's activation does. A refused activation removes the campaign just made, so a refusal
 * leaves nothing behind.
 */
export async function createFormAlert(env: Env, user: AuthUser, alert: FormAlert): Promise<Checked<StoredCampaign>> {
  const created = await createCampaign(env, user, alert.definition)
  if (!created.ok || !alert.active) return created
  const switched = await switchCampaign(env, user.workspaceId, created.value, true)
  if (switched?.ok) return switched
  await removeCampaign(env, user.workspaceId, created.value.campaign.id)
  return switched ?? { ok: false, status: 409, errors: [{ field: 'body', reason: 'the campaign went away while it was switched ON' }] }
}

/** A campaign the wizard could have made: form-submitted triggers and one send-alert step. */
export const isFormAlert = ({ definition }: StoredCampaign): boolean =>
  definition.triggers.length > 0 &&
  definition.triggers.every((t) => t.type === 'form-submitted') &&
  definition.steps.length === 1 &&
  definition.steps[0]?.type === 'send-alert'
