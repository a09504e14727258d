// The rows of a checked first-run setup, with fresh ids. No database or runtime binding here, so
// `npm run setup` builds exactly what the web form builds.
import type { FirstWorkspace } from '../db/queries/first-workspace'
import type { SetupInput } from './workspace-input'

const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('')

export const newWorkspaceId = () => `ws_${randomHex(12)}`
export const newUserId = () => `usr_${randomHex(12)}`

/** 256 random bits; the HMAC key is this whole string's UTF-8 bytes, prefix included. */
export const newIdentitySecret = () => `pbi_${randomHex(32)}`

/** The same for the key that signs campaign webhook calls; the prefix tells the two apart. */
export const newWebhookSecret = () => `pbw_${randomHex(32)}`

export function firstWorkspace(input: SetupInput, passwordHash: string): FirstWorkspace {
  return {
    workspace: { id: newWorkspaceId(), name: input.workspace, timeZone: input.timeZone },
    admin: { id: newUserId(), email: input.email, name: input.name, passwordHash },
  }
}
