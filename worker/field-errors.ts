// A refused input as people read it: the field as a dot path (`pages.0.pattern`) and a sentence.
// Shared by the alert checks, the REST API's body validation and the admin wizard.
import * as v from 'valibot'

export type FieldError = { field: string; reason: string }

/** valibot's issues as field errors; an issue on the whole input names `body`. */
export function fieldErrors(issues: readonly v.BaseIssue<unknown>[]): FieldError[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue) ?? ''
    // strictObject reports an unexpected key as an issue on that key, expecting `never`.
    if (issue.type === 'strict_object' && issue.expected === 'never') return { field: path, reason: 'unknown field' }
    if (issue.type === 'strict_object' && path && issue.input === undefined) return { field: path, reason: 'this field is required' }
    return { field: path || 'body', reason: issue.message }
  })
}
