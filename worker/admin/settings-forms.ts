// The setup, workspace and site forms as typed (strings and checkboxes), and their conversion
// into the JSON shapes the REST API takes, so one check serves the form and the API alike.
import type { SiteRow } from '../db/queries/sites'
import type { WorkspaceRow } from '../db/queries/workspaces'
import { formText } from './form-fields'

/** A whole number stays a number; anything else is passed on as typed, for the check to name. */
const numberOrText = (s: string) => (/^\s*\d{1,9}\s*$/.test(s) ? Number(s) : s)

export type SetupDraft = { workspace: string; timeZone: string; name: string; email: string; password: string; token: string }

export const emptySetup = (): SetupDraft => ({ workspace: '', timeZone: 'UTC', name: '', email: '', password: '', token: '' })

export function setupFromForm(form: FormData): SetupDraft {
  const field = (name: string) => formText(form, name)
  return {
    workspace: field('workspace'),
    timeZone: field('timeZone'),
    name: field('name'),
    email: field('email'),
    password: field('password'),
    token: field('token'),
  }
}

export const setupToInput = ({ workspace, timeZone, name, email, password }: SetupDraft) => ({ workspace, timeZone, name, email, password })

export type WorkspaceDraft = { name: string; timeZone: string; weekStartsOn: string; senderName: string; honorPrivacySignals: boolean }

export const workspaceDraft = (w: WorkspaceRow): WorkspaceDraft => ({
  name: w.name,
  timeZone: w.timeZone,
  weekStartsOn: String(w.weekStartsOn),
  senderName: w.senderName,
  honorPrivacySignals: w.honorPrivacySignals,
})

export const workspaceFromForm = (form: FormData): WorkspaceDraft => ({
  name: formText(form, 'name'),
  timeZone: formText(form, 'timeZone'),
  weekStartsOn: formText(form, 'weekStartsOn'),
  senderName: formText(form, 'senderName'),
  honorPrivacySignals: form.has('honorPrivacySignals'),
})

export const workspaceToInput = (d: WorkspaceDraft) => ({ ...d, weekStartsOn: numberOrText(d.weekStartsOn) })

export type SiteDraft = {
  name: string
  domains: string
  defaultOwnerId: string
  requireVerifiedIdentity: boolean
  honorPrivacySignals: boolean
}

export const emptySite = (ownerId: string): SiteDraft => ({
  name: '',
  domains: '',
  defaultOwnerId: ownerId,
  requireVerifiedIdentity: false,
  honorPrivacySignals: false,
})

export const siteDraft = (s: SiteRow): SiteDraft => ({
  name: s.name,
  domains: s.allowedDomains.join('\n'),
  defaultOwnerId: s.defaultOwnerId ?? '',
  requireVerifiedIdentity: s.requireVerifiedIdentity,
  honorPrivacySignals: s.honorPrivacySignals,
})

export const siteFromForm = (form: FormData): SiteDraft => ({
  name: formText(form, 'name'),
  domains: formText(form, 'allowedDomains'),
  defaultOwnerId: formText(form, 'defaultOwnerId'),
  requireVerifiedIdentity: form.has('requireVerifiedIdentity'),
  honorPrivacySignals: form.has('honorPrivacySignals'),
})

/** One domain per line (or comma-separated); blank lines are skipped. */
export const siteToInput = (d: SiteDraft) => ({
  name: d.name,
  allowedDomains: d.domains
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean),
  defaultOwnerId: d.defaultOwnerId || null,
  requireVerifiedIdentity: d.requireVerifiedIdentity,
  honorPrivacySignals: d.honorPrivacySignals,
})
