// What a contact's timeline adds to its object's activity from D1: the names of the alerts it
// fired and where each of those alerts stands in the outbox. One batch, keyed by ids and alert
// keys (each bound as one JSON parameter).
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { alertDeliveries, campaigns } from '../schema'

export type TimelineAlerts = {
  names: Map<string, string>
  deliveries: Map<string, { id: string; status: (typeof alertDeliveries.$inferSelect)['status'] }>
}

export async function timelineAlerts(db: Db, workspaceId: string, alertIds: string[], alertKeys: string[]): Promise<TimelineAlerts> {
  if (alertKeys.length === 0) return { names: new Map(), deliveries: new Map() }
  const [named, delivered] = await db.batch([
    db
      .select({ id: campaigns.id, name: campaigns.name })
      .from(campaigns)
      .where(
        and(eq(campaigns.workspaceId, workspaceId), sql`${campaigns.id} IN (SELECT value FROM json_each(${JSON.stringify(alertIds)}))`),
      ),
    db
      .select({ key: alertDeliveries.alertKey, id: alertDeliveries.id, status: alertDeliveries.status })
      .from(alertDeliveries)
      .where(
        and(
          eq(alertDeliveries.workspaceId, workspaceId),
          sql`${alertDeliveries.alertKey} IN (SELECT value FROM json_each(${JSON.stringify(alertKeys)}))`,
        ),
      ),
  ])
  return {
    names: new Map(named.map((a) => [a.id, a.name])),
    deliveries: new Map(delivered.map((d) => [d.key, { id: d.id, status: d.status }])),
  }
}
