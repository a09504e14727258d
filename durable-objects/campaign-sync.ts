// Keeps the contact's D1 row and its object's campaign state the same, both ways, from the
// object's schedule (never on the collect path). Two writers change a contact: its object
// (campaign steps: tags, score, fields, owner) and the admin (fields, tags, owner, in bulk too).
// The object remembers the row as it last read or wrote it (`base`); a sync reads the row, takes
// what the admin changed since `base` (the admin wins on what it changed), keeps what the object
// changed, writes the merge only while the row is still as read (its `updated_at`), and hands the
// admin's changes to the engine as signals (a tag added by hand triggers `tag-added` campaigns).
// The object's first sync just reads the row: that is its starting state (tags, score, owner).
// A sync that only brings the object's own changes writes them without reading, under the
// condition that the row is still at the `updated_at` the object last saw (every write raises it);
// if not, it reads and merges as above.
import { createDb, type Db } from '../worker/db/client'
import {
  campaignContactRow,
  writeCampaignContact,
  type CampaignContactRow,
  type CampaignContactWrite,
} from '../worker/db/queries/campaign-runs'
import type { CampaignStore, KeptState } from './campaign-store'
import type { ContactStore } from './contact-store'
import type { ContactSnapshot } from './contracts/alert-job'
import type { CampaignSignal, StateChange } from './rules/campaigns/engine-types'

/** What both sides hold: fields are name, company, phone and `custom.<key>`. */
export type Mirrored = { tags: string[]; score: number; ownerId: string | null; fields: Record<string, string> }

const BASE_KEY = 'campaignBase'
/**
 * The row as D1 last answered it or this object last wrote it: its `updated_at`, e-mail and owner.
 * With it, a sync that only brings the object's own changes writes them without reading first
 * (the write holds only while the row is still at that `updated_at`; else the sync reads and merges).
 */
const BASE_ROW_KEY = 'campaignBaseRow'
type BaseRow = Pick<CampaignContactRow, 'updatedAt' | 'email' | 'ownerId' | 'ownerEmail' | 'ownerName'>
const baseRowOf = (row: CampaignContactRow, updatedAt = row.updatedAt): BaseRow => ({
  updatedAt,
  email: row.email,
  ownerId: row.ownerId,
  ownerEmail: row.ownerEmail,
  ownerName: row.ownerName,
})
/** Writes tried per sync before it is left to the schedule's retry (the row kept changing under it). */
const WRITE_TRIES = 3

export function mirroredOfRow(row: CampaignContactRow): Mirrored {
  const fields: Record<string, string> = { name: row.name, company: row.company, phone: row.phone }
  for (const [key, value] of Object.entries(row.customFields)) fields[`custom.${key}`] = value
  return { tags: row.tags, score: row.score, ownerId: row.ownerId, fields }
}

export function mirroredOfState(state: KeptState): Mirrored {
  const fields: Record<string, string> = {}
  for (const [key, value] of Object.entries(state.fields)) if (key !== 'email' && value !== undefined) fields[key] = value
  return { tags: state.tags, score: state.score, ownerId: state.ownerId, fields }
}

const sameTags = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i])

export const sameMirrored = (a: Mirrored, b: Mirrored): boolean => {
  const keys = new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])
  return (
    sameTags(a.tags, b.tags) &&
    a.score === b.score &&
    a.ownerId === b.ownerId &&
    [...keys].every((k) => (a.fields[k] ?? '') === (b.fields[k] ?? ''))
  )
}

/**
 * Three-way merge: what `stored` (D1) changed since `base` wins, the rest is `mine` (the object's).
 * `external` lists the changes D1 brought, in the engine's terms.
 */
export function mergeMirrored(base: Mirrored, stored: Mirrored, mine: Mirrored): { merged: Mirrored; external: StateChange[] } {
  const external: StateChange[] = []
  const added = stored.tags.filter((t) => !base.tags.includes(t))
  const removed = base.tags.filter((t) => !stored.tags.includes(t))
  const tags = [...mine.tags.filter((t) => !removed.includes(t)), ...added.filter((t) => !mine.tags.includes(t))]
  for (const tag of added) if (!mine.tags.includes(tag)) external.push({ type: 'tag-added', tag })
  for (const tag of removed) if (mine.tags.includes(tag)) external.push({ type: 'tag-removed', tag })
  let ownerId = mine.ownerId
  if (stored.ownerId !== base.ownerId && stored.ownerId !== mine.ownerId) {
    if (stored.ownerId !== null) external.push({ type: 'owner-set', from: mine.ownerId, to: stored.ownerId })
    ownerId = stored.ownerId
  }
  const fields = { ...mine.fields }
  for (const key of new Set([...Object.keys(base.fields), ...Object.keys(stored.fields)])) {
    const was = base.fields[key] ?? ''
    const now = stored.fields[key] ?? ''
    const have = mine.fields[key] ?? ''
    if (now === was || now === have) continue
    external.push({ type: 'field-set', field: key, from: have, to: now })
    fields[key] = now
  }
  // The score is the object's alone (the admin cannot set it).
  return { merged: { tags, score: mine.score, ownerId, fields }, external }
}

/** Applies D1's changes to the object's state. */
export function applyExternal(state: KeptState, external: StateChange[]): KeptState {
  let { tags, ownerId } = state
  const fields = { ...state.fields }
  for (const change of external) {
    if (change.type === 'tag-added' && !tags.includes(change.tag)) tags = [...tags, change.tag]
    else if (change.type === 'tag-removed') tags = tags.filter((t) => t !== change.tag)
    else if (change.type === 'owner-set') ownerId = change.to
    else if (change.type === 'field-set') fields[change.field] = change.to
  }
  return { ...state, tags, ownerId, fields }
}

/** The signals D1's changes give the engine: fields one by one, tags and owner as state changes. */
export function externalSignals(external: StateChange[], at: number): CampaignSignal[] {
  const signals: CampaignSignal[] = []
  const others: StateChange[] = []
  for (const change of external) {
    if (change.type === 'field-set') signals.push({ type: 'field-changed', field: change.field, from: change.from, to: change.to, at })
    else others.push(change)
  }
  if (others.length) signals.push({ type: 'changes', changes: others, depth: 0, at })
  return signals
}

function stateOfRow(contactId: string, email: string, row: CampaignContactRow): KeptState {
  const fields: KeptState['fields'] = { email, name: row.name, company: row.company, phone: row.phone }
  for (const [key, value] of Object.entries(row.customFields)) fields[`custom.${key}`] = value
  return { contactId, fields, tags: row.tags, score: row.score, ownerId: row.ownerId, lists: [] }
}

const customOf = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).flatMap(([k, v]) => (k.startsWith('custom.') ? [[k.slice('custom.'.length), v]] : [])))

/** What a sync writes over the contact's row. */
const rowValues = (m: Mirrored): CampaignContactWrite => ({
  name: m.fields.name ?? '',
  company: m.fields.company ?? '',
  phone: m.fields.phone ?? '',
  ownerId: m.ownerId,
  tags: m.tags,
  score: m.score,
  customFields: customOf(m.fields),
})

/** The snapshot alerts carry, with the object's tags, score and fields (and the owner's address when known). */
export function snapshotWithState(
  snapshot: ContactSnapshot,
  state: KeptState,
  owner?: { email: string | null; name: string | null },
): ContactSnapshot {
  return {
    ...snapshot,
    name: state.fields.name ?? snapshot.name,
    company: state.fields.company ?? snapshot.company,
    phone: state.fields.phone ?? snapshot.phone,
    tags: state.tags,
    score: state.score,
    ...(owner ? { ownerEmail: owner.email, ownerName: owner.name } : {}),
  }
}

export class ContactSync {
  constructor(
    private readonly store: ContactStore,
    private readonly campaigns: CampaignStore,
  ) {}

  private base = () => this.store.getMeta<Mirrored>(BASE_KEY)

  /** True when the object's state differs from what D1 was last seen holding. */
  dirty(): boolean {
    const state = this.campaigns.state()
    const base = this.base()
    return state !== null && (base === null || !sameMirrored(base, mirroredOfState(state)))
  }

  /**
   * One round both ways. Returns the signals D1's changes give (already applied to the state),
   * for the caller to queue. Throws when D1 fails (the schedule retries).
   */
  async sync(env: Env, now: number): Promise<CampaignSignal[]> {
    const contact = this.store.snapshot()
    if (!contact) return []
    const db = createDb(env.DB)
    if (await this.writeOwnChanges(db, contact, now)) return []
    for (let tries = 0; tries < WRITE_TRIES; tries++) {
      const row = await campaignContactRow(db, contact.workspaceId, contact.id)
      // Erased in D1: the erase empties this object too.
      if (!row) return []
      const stored = mirroredOfRow(row)
      const kept = this.campaigns.state()
      if (!kept) {
        const state = stateOfRow(contact.id, contact.email, row)
        this.campaigns.setState(state)
        this.store.setMeta(BASE_KEY, stored)
        this.store.setMeta(BASE_ROW_KEY, baseRowOf(row))
        this.store.setMeta('contact', snapshotWithState(contact, state, { email: row.ownerEmail, name: row.ownerName }))
        return []
      }
      const { merged, external } = mergeMirrored(this.base() ?? stored, stored, mirroredOfState(kept))
      const write = !sameMirrored(merged, stored)
      let updatedAt = row.updatedAt
      if (write) {
        const written = await writeCampaignContact(db, contact.workspaceId, contact.id, row.updatedAt, row.email, rowValues(merged), now)
        if (written === null) continue
        updatedAt = written
      }
      // The state may have moved on while D1 answered: D1's changes apply to it as it is now.
      const state = applyExternal(this.campaigns.state() ?? kept, external)
      this.campaigns.setState(state)
      this.store.setMeta(BASE_KEY, merged)
      // An owner written here may have been refused (not an active user): the next sync reads.
      this.store.setMeta(BASE_ROW_KEY, merged.ownerId === row.ownerId ? baseRowOf(row, updatedAt) : null)
      const owner = merged.ownerId === row.ownerId ? { email: row.ownerEmail, name: row.ownerName } : await this.ownerOf(env, contact)
      this.store.setMeta('contact', snapshotWithState(this.store.snapshot() ?? contact, state, owner))
      return externalSignals(external, now)
    }
    throw new Error(`contact ${contact.id} kept changing in D1; sync tried ${WRITE_TRIES} times`)
  }

  /**
   * The object's own changes (tags, score, fields; not the owner, which D1 may refuse) written
   * over the row as this object last knew it, with no read: true when that held. False when
   * there is nothing of its own to write, the row is not known, or it changed meanwhile.
   */
  private async writeOwnChanges(db: Db, contact: ContactSnapshot, now: number): Promise<boolean> {
    const kept = this.campaigns.state()
    const base = this.base()
    const known = this.store.getMeta<BaseRow>(BASE_ROW_KEY)
    if (!kept || !base || !known) return false
    const mine = mirroredOfState(kept)
    if (sameMirrored(base, mine) || mine.ownerId !== base.ownerId || base.ownerId !== known.ownerId) return false
    const written = await writeCampaignContact(db, contact.workspaceId, contact.id, known.updatedAt, known.email, rowValues(mine), now)
    if (written === null) return false
    this.store.setMeta(BASE_KEY, mine)
    this.store.setMeta(BASE_ROW_KEY, { ...known, updatedAt: written })
    const state = this.campaigns.state() ?? kept
    this.store.setMeta(
      'contact',
      snapshotWithState(this.store.snapshot() ?? contact, state, { email: known.ownerEmail, name: known.ownerName }),
    )
    return true
  }

  private async ownerOf(env: Env, contact: ContactSnapshot): Promise<{ email: string | null; name: string | null }> {
    const row = await campaignContactRow(createDb(env.DB), contact.workspaceId, contact.id)
    return { email: row?.ownerEmail ?? null, name: row?.ownerName ?? null }
  }
}
