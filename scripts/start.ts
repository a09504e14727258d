// `npm start`: the whole product locally, offline — worker with local D1/DO/Queues, demo data,
// the demo site and a mail sink. State persists in .wrangler/state; Ctrl-C stops everything.
// With `SMTP_URL` in the environment or in `.dev.vars`, alerts go to that server instead and no
// mail sink is started.
import { configuredSmtpUrl } from './configured-smtp'
import { buildScriptIfMissing, prepareDatabase, startLocalStack, startWranglerDev } from './local-stack'

const PORT = Number(process.env.PORT ?? 8787)
const SMTP_PORT = Number(process.env.SMTP_PORT ?? 1025)
const MAIL_VIEW_PORT = Number(process.env.MAIL_VIEW_PORT ?? 1080)
const PERSIST_DIR = '.wrangler/state'
const log = (line: string) => process.stdout.write(line)
// Campaign webhooks may call http and private hosts here (a receiver on this machine); never in production.
const LOCAL_VARS = { ALLOW_PRIVATE_WEBHOOKS: 'true' }

async function start(): Promise<{ mail: string; stop: () => Promise<void> }> {
  const smtpUrl = configuredSmtpUrl()
  if (smtpUrl) {
    buildScriptIfMissing()
    await prepareDatabase(PERSIST_DIR)
    const worker = await startWranglerDev({
      port: PORT,
      persistDir: PERSIST_DIR,
      readyPath: '/demo',
      vars: { SMTP_URL: smtpUrl, ...LOCAL_VARS },
      log,
    })
    return { mail: `Mail        alerts go to SMTP_URL (${new URL(smtpUrl).host}); no mail sink runs`, stop: worker.stop }
  }
  const stack = await startLocalStack({
    port: PORT,
    persistDir: PERSIST_DIR,
    smtpPort: SMTP_PORT,
    mailViewPort: MAIL_VIEW_PORT,
    vars: LOCAL_VARS,
    log,
  })
  return { mail: `Mail sink   http://localhost:${stack.sink.httpPort}/  (SMTP on 127.0.0.1:${stack.sink.smtpPort})`, stop: stack.stop }
}

console.log('Starting Pagebell locally (migrations, demo data, mail, worker)...')
const running = await start()

console.log(`
  Pagebell is running.
    Demo site   http://localhost:${PORT}/demo        (tracked; alert "Pricing interest" on /demo/pricing/**)
    Admin       http://localhost:${PORT}/admin       (log in as owner@acme.test / pagebell-demo)
    ${running.mail}
  Ctrl-C stops everything.
`)

let stopping = false
async function shutdown(): Promise<void> {
  if (stopping) return
  stopping = true
  await running.stop()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown())
process.on('SIGTERM', () => void shutdown())
