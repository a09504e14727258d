// What a campaign, list or scoring-rule change answers: done, or refused with the fields to
// name. 400: the definition itself is wrong; 422: it names a user, list or URL it may not, or
// clashes with another campaign that is ON; 409: the workspace still needs what is being
// removed (a list in use).
import type { FieldError } from '../field-errors'

export type Refusal = { ok: false; status: 400 | 409 | 422; errors: FieldError[] }

export type Checked<T> = { ok: true; value: T } | Refusal

export type Check = { status: Refusal['status']; errors: () => FieldError[] | Promise<FieldError[]> }

/** Runs the checks in order and answers the first that refuses; null when all pass. */
export async function firstRefusal(checks: readonly Check[]): Promise<Refusal | null> {
  for (const check of checks) {
    const errors = await check.errors()
    if (errors.length > 0) return { ok: false, status: check.status, errors }
  }
  return null
}
