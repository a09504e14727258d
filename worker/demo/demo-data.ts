// The demo data `npm start` seeds once, and the fixture many tests start from: a workspace,
// its admin (owner of new contacts), a site for localhost, and the "Pricing interest" alert.
import type { DemoSeed } from '../db/queries/demo'

export const DEMO_SITE_KEY = 'demo-site-key'

/** The demo admin's password, printed by `npm start` and in the README. */
export const DEMO_PASSWORD = 'pagebell-demo'

/**
 * `hashPassword(DEMO_PASSWORD)` computed once (worker/auth/password.ts): `npm start` records the
 * seed's inserts as SQL, so the seed holds values, not calls.
 */
const DEMO_PASSWORD_HASH = 'pbkdf2-sha256$100000$M7Nr5PbMos9hf8S/MsEnzA==$Qqiw19CjSyqz7IHwfnWvCdDhi1CkQhG5P/GBYrpBlZU='

export const DEMO = {
  workspace: { id: 'ws_demo', name: 'Acme Analytics', timeZone: 'Europe/Paris', weekStartsOn: 1 },
  admin: {
    id: 'usr_demo_admin',
    workspaceId: 'ws_demo',
    email: 'owner@acme.test',
    name: 'Olivia Owner',
    role: 'admin',
    passwordHash: DEMO_PASSWORD_HASH,
  },
  site: {
    id: 'site_demo',
    workspaceId: 'ws_demo',
    key: DEMO_SITE_KEY,
    name: 'Acme demo site',
    allowedDomains: ['localhost', '127.0.0.1'],
    defaultOwnerId: 'usr_demo_admin',
  },
  alert: {
    id: 'alr_demo_pricing',
    workspaceId: 'ws_demo',
    name: 'Pricing interest',
    pages: [{ pattern: '/demo/pricing/**', minSeconds: 10 }],
    frequencyCount: 1,
    frequencyPeriod: 'day',
    notifyCreator: false,
    notifyOwner: true,
    cc: 'sales-team@acme.test',
    description: 'A known contact is reading our pricing. Call them while it is fresh.',
    active: true,
    createdBy: 'usr_demo_admin',
  },
} satisfies DemoSeed
