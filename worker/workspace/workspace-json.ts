// The API's view of a workspace: its settings and whether its identity and webhook secrets are set
// (a secret itself is shown once, by its rotation, and never read back).
import * as v from 'valibot'
import type { WorkspaceRow } from '../db/queries/workspaces'
import { WORKSPACE_FIELDS } from './workspace-input'

const epochMs = v.pipe(v.number(), v.integer(), v.description('epoch ms'))
const SecretState = v.object({ set: v.boolean(), createdAt: v.nullable(epochMs) })

export const WorkspaceView = v.pipe(
  v.object({
    id: v.string(),
    ...WORKSPACE_FIELDS,
    identitySecret: v.pipe(
      SecretState,
      v.description('Whether signed identify calls can be verified, and since when; the secret itself is never shown again.'),
    ),
    webhookSecret: v.pipe(
      SecretState,
      v.description('Whether campaign webhook calls are signed, and since when; the secret itself is never shown again.'),
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
  webhookSecret: { set: row.webhookSecret !== null, createdAt: row.webhookSecretCreatedAt },
  createdAt: row.createdAt,
})

/** A secret as the rotation answers it: shown this once. */
const newSecret = (ref: string, use: string) =>
  v.pipe(v.object({ secret: v.pipe(v.string(), v.description(`Shown this once. ${use}`)), createdAt: epochMs }), v.metadata({ ref }))

export const NewIdentitySecret = newSecret('IdentitySecret', 'Sign with it: hex HMAC-SHA256 of the e-mail, trimmed and lower-cased.')

export const NewWebhookSecret = newSecret(
  'WebhookSecret',
  'Campaign webhook calls carry X-Pagebell-Signature: sha256=<hex HMAC-SHA256 of the exact body> made with it; the body carries sent_at (docs/campaigns.md).',
)
