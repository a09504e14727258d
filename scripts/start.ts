// `npm start`: the whole product locally, offline — worker with local D1/DO/Queues, demo data,
// the demo site and a mail sink. State persists in .wrangler/state; Ctrl-C stops everything.
import { startLocalStack } from './local-stack'

const PORT = Number(process.env.PORT ?? 8787)
const SMTP_PORT = Number(process.env.SMTP_PORT ?? 1025)
const MAIL_VIEW_PORT = Number(process.env.MAIL_VIEW_PORT ?? 1080)

console.log('Starting Pagebell locally (migrations, demo data, mail sink, worker)...')
const stack = await startLocalStack({
  port: PORT,
  persistDir: '.wrangler/state',
  smtpPort: SMTP_PORT,
  mailViewPort: MAIL_VIEW_PORT,
  log: (line) => process.stdout.write(line),
})

console.log(`
  Pagebell is running.
    Demo site   http://localhost:${PORT}/demo        (tracked; alert "Pricing interest" on /demo/pricing/**)
    Admin       http://localhost:${PORT}/admin       (log in as owner@acme.test / pagebell-demo)
    Mail sink   http://localhost:${stack.sink.httpPort}/  (SMTP on 127.0.0.1:${stack.sink.smtpPort})
  Ctrl-C stops everything.
`)

let stopping = false
const shutdown = async () => {
  if (stopping) return
  stopping = true
  await stack.stop()
  process.exit(0)
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
