// Bindings only the test configuration adds.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
    MAIL_SINK_URL: string
  }
}
