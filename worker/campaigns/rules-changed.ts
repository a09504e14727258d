// After a change to what contact objects evaluate (an active campaign, a list, a scoring rule):
// the workspace's rules version is bumped, the one alerts bump, so each object reloads its
// campaign set on its next event or alarm, and this isolate's site cache (which carries the
// version to collect) is cleared.
import { forgetSites } from '../collect/site-cache'
import type { Db } from '../db/client'
import { bumpRulesVersion } from '../db/queries/sites'

export async function rulesChanged(db: Db, workspaceId: string): Promise<void> {
  await bumpRulesVersion(db, workspaceId)
  forgetSites()
}
