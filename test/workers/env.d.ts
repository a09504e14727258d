// Bindings only the test configuration adds, and one runtime type the test pool needs.
import type { D1Migration } from 'cloudflare:test'

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[]
      /** Empty at the start of each test file: migrations are applied to it by hand. */
      MIGRATION_DB: D1Database
      MAIL_SINK_URL: string
    }
  }

  // What `getQueueResult` answers. workerd declares it only in its experimental types, which
  // `wrangler types` leaves out, so without this the test pool's signature names nothing.
  interface FetcherQueueResult {
    outcome: string
    ackAll: boolean
    retryBatch: { retry: boolean; delaySeconds?: number }
    explicitAcks: string[]
    retryMessages: { msgId: string; delaySeconds?: number }[]
  }
}
