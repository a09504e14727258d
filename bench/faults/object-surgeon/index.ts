// The object surgeon: runs one SQL statement inside a contact's Durable Object through the
// runtime's own storage API (`ctx.storage.sql`), while the product's worker is stopped, and can
// set the object's alarm (as the runtime does when it retries an alarm that did not finish). The
// fault suite uses it to put an object in the state a reset would leave (see
// docs/reliability.md, "object reset"). Not part of the product; typed structurally because it
// is checked with the Node-side sources.
type SqlCursor = { toArray(): unknown[] }
type ObjectState = { storage: { sql: { exec(query: string): SqlCursor }; setAlarm(at: number): Promise<void> } }
type Namespace = { idFromName(name: string): unknown; get(id: unknown): { fetch(request: Request): Promise<Response> } }

export class ContactObject {
  constructor(private readonly ctx: ObjectState) {}

  async fetch(request: Request): Promise<Response> {
    const { query, alarmInMs } = (await request.json()) as { query: string; alarmInMs?: number }
    const rows = this.ctx.storage.sql.exec(query).toArray()
    if (alarmInMs !== undefined) await this.ctx.storage.setAlarm(Date.now() + alarmInMs)
    return Response.json(rows)
  }

  /** An alarm coming due meanwhile is the product's: fail it, so the runtime keeps it and retries it later. */
  alarm(): Promise<void> {
    return Promise.reject(new Error('object surgeon: alarms are left to the product worker'))
  }
}

export default {
  async fetch(request: Request, env: { CONTACTS: Namespace }): Promise<Response> {
    // Named as the product names it (durable-objects/contact-stub.ts): `contact:<contact id>`.
    const name = new URL(request.url).searchParams.get('object')
    if (!name || request.method !== 'POST')
      return Response.json({ error: 'POST ?object=contact:<id> {"query": "...", "alarmInMs": n}' }, { status: 400 })
    return env.CONTACTS.get(env.CONTACTS.idFromName(name)).fetch(request)
  },
}
