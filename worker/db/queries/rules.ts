// Active page rules of a workspace, in the shape the contact object's rule core runs.
import { and, eq } from 'drizzle-orm'
import type { PageRule } from '../../../durable-objects/rules/page-rules'
import type { Db } from '../client'
import { alerts } from '../schema'

export async function listPageRules(db: Db, workspaceId: string): Promise<PageRule[]> {
  const rows = await db
    .select({ id: alerts.id, pages: alerts.pages, count: alerts.frequencyCount, period: alerts.frequencyPeriod })
    .from(alerts)
    .where(and(eq(alerts.workspaceId, workspaceId), eq(alerts.active, true)))
  return rows.map((r) => ({ id: r.id, kind: 'alert', pages: r.pages, limit: { count: r.count, period: r.period } }))
}
