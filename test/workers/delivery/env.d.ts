// Bindings the test configuration adds for the delivery tests.
declare namespace Cloudflare {
  interface Env {
    HTTP_SINK_URL: string
  }
}
