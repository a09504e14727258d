// The API's view of a workspace: its settings and whether an identity secret is set (the secret
// itself is shown once, by the rotation, and never read back).
import * as v from 'valibot'
import type { WorkspaceRow } from '../db/queries/workspaces'
import { WORKSPACE_FIELDS } from './workspace-input'

const epochMs = v.pipe(v.number(), v.integer(), v.description('epoch ms'))

export const WorkspaceView = v.pipe(
  v.object({
    id: v.string(),
    ...WORKSPACE_FIELDS,
    identitySecret: v.pipe(
      v.object({ set: v.boolean(), createdAt: v.nullable(epochMs) }),
      v.description('Whether signed identify calls can be verified, and since when; the secret itself is never shown again.'),
    ),
    createdAt: epochMs,
  }),
  v.metadata({ ref: 'Workspace' }),
)

export type WorkspaceJson = v.InferOutput<typeof WorkspaceView>

export const workspaceJson = (row: WorkspaceRow): WorkspaceJson => ({
  id: row.id,
  name: row.name,
  timeZone: row.timeZone,
  weekStartsOn: row.weekStartsOn,
  senderName: row.senderName,
  honorPrivacySignals: row.honorPrivacySignals,
  identitySecret: { set: row.identitySecret !== null, createdAt: row.identitySecretCreatedAt },
  createdAt: row.createdAt,
})

export const NewIdentitySecret = v.pipe(
  v.object({
    secret: v.pipe(v.string(), v.description('Shown this once. Sign with it: hex HMAC-SHA256 of the e-mail, trimmed and lower-cased.')),
    createdAt: epochMs,
  }),
  v.metadata({ ref: 'IdentitySecret' }),
)
