// Tests that run inside workerd: the worker, Durable Objects, D1, Queues and alarms, for real.
// A real SMTP sink and a real HTTP receiver (Node side) receive the alerts; their ports are
// chosen here and passed in.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { freePort } from './test/support/free-port'
import { TEST_TLS_CERT } from './test/support/test-tls'

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations')
  process.env.PB_SINK_SMTP_PORT ??= String(await freePort())
  process.env.PB_SINK_HTTP_PORT ??= String(await freePort())
  process.env.PB_HTTP_SINK_PORT ??= String(await freePort())
  return {
    plugins: [
      cloudflareTest({
        main: './worker/index.ts',
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          // As miniflare's own outbound network, plus the SMTP test servers' self-signed certificate.
          outboundService: {
            network: {
              allow: ['public', 'private', '240.0.0.0/4'],
              tlsOptions: { trustBrowserCas: true, trustedCertificates: [TEST_TLS_CERT] },
            },
          },
          // An empty database of its own for the tests that run migrations over old data.
          d1Databases: ['MIGRATION_DB'],
          bindings: {
            TEST_MIGRATIONS: migrations,
            SMTP_URL: `smtp://127.0.0.1:${process.env.PB_SINK_SMTP_PORT}`,
            MAIL_SINK_URL: `http://127.0.0.1:${process.env.PB_SINK_HTTP_PORT}`,
            HTTP_SINK_URL: `http://127.0.0.1:${process.env.PB_HTTP_SINK_PORT}`,
            // Campaign webhooks reach the local HTTP receiver; production leaves this unset (docs/campaigns.md).
            ALLOW_PRIVATE_WEBHOOKS: 'true',
          },
        },
      }),
    ],
    test: {
      include: ['test/workers/**/*.test.ts'],
      setupFiles: ['./test/workers/setup/apply-migrations.ts'],
      testTimeout: 60_000,
      globalSetup: [
        './test/support/mail-sink-global-setup.ts',
        './test/support/http-sink-global-setup.ts',
        './test/support/smtp-test-servers-global-setup.ts',
      ],
    },
  }
})
