// The workspace's active alert rules, shared by every contact object of this isolate
// (workspace-version-cache.ts). Without it every new contact read the alerts from D1 on its
// first event, on the collect path.
import { createDb } from '../worker/db/client'
import { listPageRules } from '../worker/db/queries/rules'
import { workspaceVersionCache } from './workspace-version-cache'

export const alertRulesFor = workspaceVersionCache((env, workspaceId) => listPageRules(createDb(env.DB), workspaceId))
