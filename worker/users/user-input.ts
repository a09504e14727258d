// The checks an invitation and a change of role pass, for the REST API and the team screens
// alike, and the schemas the OpenAPI document is generated from.
import * as v from 'valibot'
import { fieldErrors, type FieldError } from '../field-errors'
import { NewPassword, UserEmail, UserName } from '../workspace/workspace-input'

export const ROLES = ['admin', 'marketer', 'sales'] as const

export const Role = v.pipe(
  v.picklist(ROLES, 'the role is admin, marketer or sales'),
  v.description(
    'admin: everything, including the team, sites and settings; marketer: alerts, contacts and the outbox; sales: a sales rep, who sees only the contacts they own and their alerts.',
  ),
)

export const InviteBody = v.pipe(
  v.strictObject(
    {
      email: v.pipe(UserEmail, v.description('Where the invitation goes; the login of the new user. Stored lower-case.')),
      name: v.optional(v.pipe(UserName, v.description('How colleagues see them; the invitee can change it when they accept.')), ''),
      role: Role,
    },
    'the body is {"email": "...", "role": "admin | marketer | sales", "name"?: "..."}',
  ),
  v.metadata({ ref: 'Invitation' }),
)

export const UserPatchBody = v.pipe(
  v.strictObject({ role: Role }, 'the body is {"role": "admin | marketer | sales"}'),
  v.metadata({ ref: 'UserPatch' }),
)

/** What the invitation page asks: a name (optional) and the password, typed twice. */
export const AcceptInviteForm = v.strictObject({ name: UserName, password: NewPassword, confirm: v.string() })

export const ResetForm = v.strictObject({ password: NewPassword, confirm: v.string() })

export type InviteInput = v.InferOutput<typeof InviteBody>
export type UserPatch = v.InferOutput<typeof UserPatchBody>

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

function check<S extends v.GenericSchema>(schema: S, input: unknown): Checked<v.InferOutput<S>> {
  const parsed = v.safeParse(schema, input)
  return parsed.success ? { ok: true, value: parsed.output } : { ok: false, errors: fieldErrors(parsed.issues) }
}

const mismatch = (value: { password: string; confirm: string }): FieldError[] =>
  value.password === value.confirm ? [] : [{ field: 'confirm', reason: 'the two passwords differ' }]

export const checkInvite = (input: unknown) => check(InviteBody, input)
export const checkUserPatch = (input: unknown) => check(UserPatchBody, input)

/** The invitation page's form; the two passwords must match. */
export function checkAcceptInvite(input: unknown): Checked<v.InferOutput<typeof AcceptInviteForm>> {
  const checked = check(AcceptInviteForm, input)
  if (!checked.ok) return checked
  const errors = mismatch(checked.value)
  return errors.length ? { ok: false, errors } : checked
}

/** The reset page's form; the two passwords must match. */
export function checkReset(input: unknown): Checked<v.InferOutput<typeof ResetForm>> {
  const checked = check(ResetForm, input)
  if (!checked.ok) return checked
  const errors = mismatch(checked.value)
  return errors.length ? { ok: false, errors } : checked
}
