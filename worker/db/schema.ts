// D1 schema (drizzle). Every row that belongs to a customer carries its workspace_id,
// and every query in worker/db/ filters on it.
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { CampaignDefinition, ListDefinition, ScoringRuleDefinition } from '../../durable-objects/contracts/campaign'

const createdAt = () =>
  integer('created_at')
    .notNull()
    .default(sql`(unixepoch() * 1000)`)

export const workspaces = sqliteTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull().default('UTC'),
  /** 1 = Monday ... 7 = Sunday (ISO). */
  weekStartsOn: integer('week_starts_on').notNull().default(1),
  /** Display name in the From of alert e-mails ('' = the configured MAIL_FROM's own name). */
  senderName: text('sender_name').notNull().default(''),
  /** Every site of the workspace honours GPC/DNT; a site may also ask for it on its own. */
  honorPrivacySignals: integer('honor_privacy_signals', { mode: 'boolean' }).notNull().default(false),
  /**
   * Key of the HMAC that signs `identify` calls (worker/collect/identity.ts), one per workspace
   * because contacts are. Kept as is: verifying an HMAC needs the key itself (docs/admin-api.md).
   */
  identitySecret: text('identity_secret'),
  identitySecretCreatedAt: integer('identity_secret_created_at'),
  /**
   * Key of the HMAC that signs campaign webhook calls (docs/campaigns.md), so the receiver can
   * check a call came from this workspace. Shown once when made, rotated like the identity secret.
   */
  webhookSecret: text('webhook_secret'),
  webhookSecretCreatedAt: integer('webhook_secret_created_at'),
  /**
   * Bumped whenever an alert of the workspace changes, so contact objects reload their rules. One
   * number for the whole workspace: every site (a new one too) carries it, so two sites can never
   * name different rules with the same number.
   */
  rulesVersion: integer('rules_version').notNull().default(1),
  createdAt: createdAt(),
})

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    role: text('role', { enum: ['admin', 'marketer', 'sales'] }).notNull(),
    /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`; null = cannot log in with a password. */
    passwordHash: text('password_hash'),
    /**
     * `invited`: has an invitation link, no password yet; `active`: may log in; `deactivated`: may
     * not, and its sessions and tokens are gone. Only active users pass authentication.
     */
    status: text('status', { enum: ['invited', 'active', 'deactivated'] })
      .notNull()
      .default('active'),
    deactivatedAt: integer('deactivated_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_workspace_email').on(t.workspaceId, t.email),
    index('users_workspace_role').on(t.workspaceId, t.role, t.status),
  ],
)

export type Role = (typeof users.$inferSelect)['role']
export type UserStatus = (typeof users.$inferSelect)['status']

/** Web UI sessions. The cookie holds a random token; only its SHA-256 is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    /** Names the session in lists and revocations (`ses_…`), so the hash never leaves the database. */
    id: text('id').notNull().default(''),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    expiresAt: integer('expires_at').notNull(),
    /** The browser's User-Agent at login (at most 200 characters), to tell sessions apart. */
    userAgent: text('user_agent').notNull().default(''),
    /** Last request seen, written at most every few minutes (worker/auth/sessions.ts). */
    lastSeenAt: integer('last_seen_at'),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user').on(t.userId), uniqueIndex('sessions_id').on(t.id)],
)

/** REST API tokens (`Authorization: Bearer`). Shown once when created; only the SHA-256 is stored. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    /**
     * read: GET only; write: also changes alerts, contacts, the outbox; admin: also users, sites
     * and the workspace (worker/auth/token-scopes.ts). Null for tokens made before scopes
     * existed: they act with their user's role, as they always did.
     */
    scope: text('scope', { enum: ['read', 'write', 'admin'] }),
    lastUsedAt: integer('last_used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('api_tokens_workspace').on(t.workspaceId), index('api_tokens_user').on(t.userId)],
)

/**
 * Invitation and password-reset links: single use, expiring, found by the SHA-256 of the secret
 * in the link (the secret itself is only in the e-mail). The columns `mail_*` are the link's
 * outbox entry: its e-mail goes through the queue and the delivery rules of the alerts.
 */
export const accountLinks = sqliteTable(
  'account_links',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    purpose: text('purpose', { enum: ['invite', 'reset'] }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    /** Who sent the invitation (null for a reset, which the account's owner asks for). */
    createdBy: text('created_by').references(() => users.id),
    mailStatus: text('mail_status', { enum: ['pending', 'sending', 'sent', 'failed', 'unknown', 'skipped'] })
      .notNull()
      .default('pending'),
    mailAttempts: integer('mail_attempts').notNull().default(0),
    mailError: text('mail_error'),
    mailUpdatedAt: integer('mail_updated_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('account_links_user').on(t.userId, t.purpose)],
)

export const sites = sqliteTable(
  'sites',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** The public key pasted in the snippet (`data-site`). */
    key: text('key').notNull().unique(),
    name: text('name').notNull(),
    /** JSON array of host names; a subdomain of one of them is allowed too. */
    allowedDomains: text('allowed_domains', { mode: 'json' }).$type<string[]>().notNull(),
    defaultOwnerId: text('default_owner_id').references(() => users.id),
    /** Alerts only for contacts identified by a signed `identify` (the workspace's identity secret). */
    requireVerifiedIdentity: integer('require_verified_identity', { mode: 'boolean' }).notNull().default(false),
    /** The site asks to honour Global Privacy Control and Do-Not-Track: such requests are dropped. */
    honorPrivacySignals: integer('honor_privacy_signals', { mode: 'boolean' }).notNull().default(false),
    /** The install check: when an event last arrived and from which origin, written at most once a minute. */
    lastEventAt: integer('last_event_at'),
    lastEventOrigin: text('last_event_origin'),
    createdAt: createdAt(),
  },
  (t) => [index('sites_workspace_created').on(t.workspaceId, t.createdAt, t.id)],
)

export const contacts = sqliteTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    company: text('company').notNull().default(''),
    phone: text('phone').notNull().default(''),
    ownerId: text('owner_id').references(() => users.id),
    tags: text('tags', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    score: integer('score').notNull().default(0),
    /**
     * Custom fields (`custom.<key>` of campaigns) by key: set by campaign actions in the contact's
     * object, which mirrors them here with its tags and score (durable-objects/campaign-mirror.ts).
     */
    customFields: text('custom_fields', { mode: 'json' })
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'`),
    /** How the contact was first identified: form, identify or verified-identify. */
    identifiedBy: text('identified_by').notNull().default('form'),
    /**
     * E-mail, name and company folded for search (worker/db/queries/contact-search-text.ts: lower
     * case, accents dropped), written with every change of those fields. SQLite's own lower() and
     * LIKE fold ASCII only, so the folding is done once here and the search term gets the same.
     */
    searchText: text('search_text').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: integer('updated_at')
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
  },
  (t) => [
    uniqueIndex('contacts_workspace_email').on(t.workspaceId, t.email),
    index('contacts_owner').on(t.ownerId),
    // The list's order (newest first, id breaks ties) with the folded text beside it: a search
    // reads the index alone and fetches only the rows of the page it returns.
    index('contacts_workspace_created').on(t.workspaceId, t.createdAt, t.id, t.searchText),
    // The same per owner: a sales rep's list, and the owner filter.
    index('contacts_workspace_owner_created').on(t.workspaceId, t.ownerId, t.createdAt, t.id, t.searchText),
  ],
)

/**
 * Pages a contact visited, one row per UTC day and URL, written by the contact's object off the
 * collect path (at most once a minute per contact, from its alarm) and kept for
 * PAGE_DAYS_KEPT days: what the contacts list's "visited a page in the last N days" reads.
 */
export const contactPageDays = sqliteTable(
  'contact_page_days',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    // A contact erased meanwhile refuses a late write instead of leaving rows without a contact.
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id),
    /** Days since 1970-01-01, UTC. */
    day: integer('day').notNull(),
    /** The page as the script sent it (at most 1,000 characters). */
    url: text('url').notNull(),
    views: integer('views').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.contactId, t.day, t.url] }),
    // The contacts who visited the pages a pattern matched, in a window: each page is a range of this index.
    index('contact_page_days_workspace_url').on(t.workspaceId, t.url, t.day, t.contactId),
  ],
)

/**
 * Every page a workspace's contacts visited, with the last UTC day one did (written with the
 * page days): the few rows the "visited" filter matches its pattern against, instead of the
 * distinct pages of every contact's days. A page not visited in the last PAGE_DAYS_KEPT days no
 * longer counts; erasing its last visitor deletes it.
 */
export const workspacePages = sqliteTable(
  'workspace_pages',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    url: text('url').notNull(),
    /** Days since 1970-01-01, UTC. */
    lastDay: integer('last_day').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.url] })],
)

/** An anonymous visitor of a site that became a contact. */
export const visitors = sqliteTable(
  'visitors',
  {
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    visitorId: text('visitor_id').notNull(),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.visitorId] }), index('visitors_contact').on(t.contactId)],
)

export type AlertPageRow = { pattern: string; minSeconds: number }
export type FrequencyPeriod = 'day' | 'week' | 'month'

/** Where one recipient of an outbox row stands; a retry goes only to those still `pending`. */
export type RecipientOutcome = {
  address: string
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'unknown' | 'digested'
  /** Why it is not sent (the server's reply), or null. */
  error: string | null
  at: number
}

/** One row per alert job: the outbox. `alertKey` is the idempotency key (alert, contact, period, n). */
export const alertDeliveries = sqliteTable(
  'alert_deliveries',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    alertId: text('alert_id')
      .notNull()
      .references(() => campaigns.id),
    contactId: text('contact_id').notNull(),
    alertKey: text('alert_key').notNull().unique(),
    /** `skipped`: the alert was OFF when its turn came, so nothing was sent. */
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed', 'unknown', 'digested', 'skipped'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    transport: text('transport').notNull().default(''),
    recipients: text('recipients', { mode: 'json' })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    /** Per recipient: sent, refused (failed) or still to retry, so a refused CC never holds back the others. */
    recipientOutcomes: text('recipient_outcomes', { mode: 'json' })
      .$type<RecipientOutcome[]>()
      .notNull()
      .default(sql`'[]'`),
    subject: text('subject').notNull().default(''),
    error: text('error'),
    /**
     * The job as the contact's object sent it (an `AlertJob`): the sweeper and "Re-send" queue it
     * again from here, checking it against the job schema as they read it.
     */
    job: text('job', { mode: 'json' }).$type<unknown>(),
    /** When the next attempt is due (epoch ms); the sweeper queues a pending row found late. */
    nextAttemptAt: integer('next_attempt_at'),
    /** Temporary failures are retried until then (24 h after the first attempt or a re-send). */
    retryUntil: integer('retry_until'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at')
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
    sentAt: integer('sent_at'),
  },
  (t) => [
    index('alert_deliveries_workspace_created').on(t.workspaceId, t.createdAt),
    index('alert_deliveries_due').on(t.status, t.nextAttemptAt),
    // A contact's rows: erasing it, and a sales rep's outbox (the rows of the contacts they own).
    index('alert_deliveries_contact').on(t.contactId, t.createdAt),
    // An alert's rows newest first (its page's recent deliveries). Analytics read alert_delivery_counts.
    index('alert_deliveries_alert_created').on(t.workspaceId, t.alertId, t.createdAt, t.status),
    // An alert's last sent time (the alerts list and an alert's page): one step into this index.
    index('alert_deliveries_alert_sent').on(t.alertId, t.sentAt),
  ],
)

/**
 * Visits an alert's frequency limit held back, per alert, contact and quarter hour
 * (`quarter_hour` = epoch ms / 900,000, so analytics can name local days in any zone). Written by
 * the contact's object off the collect path, as absolute numbers of its own rows (`held =
 * max(held, excluded.held)`): a write retried after an unclear failure can never count twice.
 * Like an erased contact's outbox rows, its numbers stay: they name no one once the contact is gone.
 */
export const alertHeldCounts = sqliteTable(
  'alert_held_counts',
  {
    alertId: text('alert_id')
      .notNull()
      .references(() => campaigns.id),
    quarterHour: integer('quarter_hour').notNull(),
    contactId: text('contact_id').notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    held: integer('held').notNull(),
  },
  (t) => [primaryKey({ columns: [t.alertId, t.quarterHour, t.contactId] })],
)

/**
 * Outbox rows per alert, quarter hour of creation (`created_at / 900,000`, as `alert_held_counts`)
 * and status, so analytics read a few rows per hour instead of every delivery. Kept by the
 * triggers of migration 0014 on `alert_deliveries` (insert, change of status, delete), in the
 * statement that changes the row: no write path can miss it. A migration that rebuilds
 * `alert_deliveries` drops those triggers and must create them again
 * (`test/workers/admin/alert-delivery-counts.test.ts` fails otherwise).
 */
export const alertDeliveryCounts = sqliteTable(
  'alert_delivery_counts',
  {
    alertId: text('alert_id')
      .notNull()
      .references(() => campaigns.id),
    quarterHour: integer('quarter_hour').notNull(),
    status: text('status').$type<(typeof alertDeliveries.$inferSelect)['status']>().notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** May be 0: a status all of whose rows moved on. */
    deliveries: integer('deliveries').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.alertId, t.quarterHour, t.status] }),
    // Analytics read this index alone: the key's rows sit in rowid order, scattered among every
    // alert's, and 17,000 lookups (a busy alert's 90 days) cost 3-4 times the index range.
    index('alert_delivery_counts_read').on(t.alertId, t.quarterHour, t.status, t.deliveries, t.workspaceId),
  ],
)

/** Every delivery attempt, for the outbox. */
export const deliveryAttempts = sqliteTable(
  'delivery_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => alertDeliveries.id),
    attempt: integer('attempt').notNull(),
    /** `resend`: not an attempt but someone's request to send a failed or unknown row again. */
    outcome: text('outcome', { enum: ['sent', 'retry', 'failed', 'skipped', 'digested', 'resend'] }).notNull(),
    detail: text('detail').notNull().default(''),
    at: createdAt(),
  },
  (t) => [index('delivery_attempts_delivery').on(t.deliveryId)],
)

export type DigestLine = { alert: string; contact: string; email: string; page: string; url: string; seconds: number; at: string }

/**
 * The per-recipient flood cap: one row per (recipient, clock hour, delivery), numbered in arrival
 * order. A row whose position is over the cap is folded into that hour's digest. Rows persist,
 * so a retried delivery takes the same decision.
 */
export const recipientHourSlots = sqliteTable(
  'recipient_hour_slots',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** Lower-cased e-mail address. */
    recipient: text('recipient').notNull(),
    /** Start of the UTC clock hour, epoch ms. */
    hourStart: integer('hour_start').notNull(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => alertDeliveries.id),
    position: integer('position').notNull(),
    /** True when this alert was held back for the recipient and goes out in the digest. */
    folded: integer('folded', { mode: 'boolean' }).notNull().default(false),
    /** What the digest shows for a folded alert. */
    summary: text('summary', { mode: 'json' }).$type<DigestLine>(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.recipient, t.hourStart, t.deliveryId] })],
)

/** One digest per recipient and hour that had alerts folded; sent at the end of the hour. */
export const recipientDigests = sqliteTable(
  'recipient_digests',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    recipient: text('recipient').notNull(),
    hourStart: integer('hour_start').notNull(),
    status: text('status', { enum: ['scheduled', 'sending', 'sent', 'failed', 'unknown'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    /** When the next attempt is due (the end of the hour at first); the sweeper queues one found late. */
    nextAttemptAt: integer('next_attempt_at'),
    /** Temporary failures are retried until then (24 h after the hour ends). */
    retryUntil: integer('retry_until'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at')
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('recipient_digests_hour').on(t.workspaceId, t.recipient, t.hourStart),
    index('recipient_digests_due').on(t.status, t.nextAttemptAt),
  ],
)

/** Events dropped by policy (bots, foreign origins, consent), counted per site and day. */
export const siteDrops = sqliteTable(
  'site_drops',
  {
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    day: text('day').notNull(),
    reason: text('reason').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day, t.reason] })],
)

/**
 * Contacts created per site and clock hour (`hour_start`, epoch ms), so the hourly cap on new
 * contacts (`NEW_CONTACTS_PER_SITE_HOUR`) holds across isolates and visitor shards. A site's rows
 * older than two days are deleted when its next hour starts.
 */
export const contactCreations = sqliteTable(
  'contact_creations',
  {
    siteId: text('site_id').notNull(),
    hourStart: integer('hour_start').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.hourStart] })],
)

/**
 * Fixed-window counters of the admin's abuse limits (worker/auth/login-limits.ts, test sends):
 * `key` names what is counted (`login-account:<sha-256>`, `login-client:<sha-256>`,
 * `test-send:<workspace>`), never an address in clear. A row whose window is over is reset by the
 * next hit and deleted by any later hit once `expires_at` has passed.
 */
export const rateCounters = sqliteTable(
  'rate_counters',
  {
    key: text('key').primaryKey(),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('rate_counters_expires').on(t.expiresAt)],
)

/**
 * Campaigns (docs/campaigns.md): the row says what the campaign is now (its name and category for
 * lists, ON/OFF, the current version); what it does is in `campaign_versions`. A deleted campaign
 * keeps its row, marked, so the versions that runs in progress started on stay readable; it is
 * inactive, so those runs stop at their next step, as when it is switched OFF.
 */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    name: text('name').notNull(),
    category: text('category').notNull().default(''),
    active: integer('active', { mode: 'boolean' }).notNull().default(false),
    currentVersion: integer('current_version').notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at')
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
    deletedAt: integer('deleted_at'),
  },
  (t) => [index('campaigns_workspace').on(t.workspaceId, t.deletedAt, t.active)],
)

/** Every saved version of a campaign, never changed once written: a run finishes on the version it started. */
export const campaignVersions = sqliteTable(
  'campaign_versions',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    version: integer('version').notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** Checked by the contract's CampaignDefinition before it is written. */
    definition: text('definition', { mode: 'json' }).$type<CampaignDefinition>().notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.version] })],
)

/** Smart lists: saved segments; `version` counts the edits (each one makes objects recompute membership). */
export const smartLists = sqliteTable(
  'smart_lists',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** Checked by the contract's ListDefinition (name and conditions). */
    definition: text('definition', { mode: 'json' }).$type<ListDefinition>().notNull(),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at')
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
  },
  (t) => [index('smart_lists_workspace').on(t.workspaceId)],
)

/** Lead-scoring rules: points for pages, forms and custom events, with optional decay. */
export const scoringRules = sqliteTable(
  'scoring_rules',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    /** Checked by the contract's ScoringRuleDefinition. */
    definition: text('definition', { mode: 'json' }).$type<ScoringRuleDefinition>().notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at')
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
  },
  (t) => [index('scoring_rules_workspace').on(t.workspaceId)],
)

/**
 * Round-robin owner assignment (campaign step `assign-round-robin`): one cursor per campaign and
 * step, advanced by one statement, so turns are fair across object restarts and contacts arriving
 * at once (D1 runs one write at a time). `turns` counts the turns given; the next user is
 * `userIds[turns % userIds.length]`.
 */
export const roundRobinCursors = sqliteTable(
  'round_robin_cursors',
  {
    campaignId: text('campaign_id').notNull(),
    stepId: text('step_id').notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    turns: integer('turns').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.stepId] })],
)

/**
 * The turn each run's round-robin step got, under its key (run key + step id): the same run asking
 * again (an alarm retried after D1 answered) gets the same turn instead of taking a second one.
 */
export const roundRobinPicks = sqliteTable(
  'round_robin_picks',
  {
    pickKey: text('pick_key').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    turn: integer('turn').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('round_robin_picks_workspace').on(t.workspaceId)],
)

/**
 * The outbox of campaign actions that leave Pagebell (send an alert, notify a new owner, call a
 * webhook, post to chat): one row per action under its idempotency key (run key + step id), so a
 * redelivered job sends nothing twice. Not `alert_deliveries`: those rows belong to an alert (its
 * id, its analytics counts, its re-send), and a webhook has a URL, not recipients.
 */
export const campaignActionDeliveries = sqliteTable(
  'campaign_action_deliveries',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    campaignId: text('campaign_id').notNull(),
    stepId: text('step_id').notNull(),
    contactId: text('contact_id').notNull(),
    actionKey: text('action_key').notNull().unique(),
    kind: text('kind', { enum: ['send-alert', 'notify-owner', 'webhook', 'chat'] }).notNull(),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed', 'unknown', 'skipped'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Recipients of a mail, or the URL posted to. */
    target: text('target').notNull().default(''),
    error: text('error'),
    job: text('job', { mode: 'json' }).$type<unknown>(),
    /** When the next attempt is due (epoch ms); the sweeper queues a pending row found late, as for alerts. */
    nextAttemptAt: integer('next_attempt_at'),
    retryUntil: integer('retry_until').notNull(),
    createdAt: createdAt(),
    updatedAt: integer('updated_at')
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
    sentAt: integer('sent_at'),
  },
  (t) => [
    index('campaign_action_deliveries_campaign').on(t.workspaceId, t.campaignId, t.createdAt),
    index('campaign_action_deliveries_contact').on(t.contactId, t.createdAt),
    index('campaign_action_deliveries_due').on(t.status, t.nextAttemptAt),
  ],
)

/**
 * How many times each contact's runs reached each step of a campaign version (`@start`: runs
 * started, `@done`: runs finished), written by the contact's object from its schedule as absolute
 * numbers (`reached = max(reached, excluded.reached)`), so a retried write never counts twice. The
 * campaign's report sums them per step.
 */
export const campaignStepCounts = sqliteTable(
  'campaign_step_counts',
  {
    campaignId: text('campaign_id').notNull(),
    version: integer('version').notNull(),
    stepId: text('step_id').notNull(),
    contactId: text('contact_id').notNull(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id),
    reached: integer('reached').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.version, t.stepId, t.contactId] })],
)
