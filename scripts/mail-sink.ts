// A real local SMTP server that keeps what it receives, with a small web view and a JSON API.
// `npm start` runs it as the mail sink; tests start it to receive real alerts and to inject
// SMTP failures (POST /faults {"code":451,"count":1}, optionally "to":"addr" to fail only
// messages for that recipient). A recipient whose local part starts with `reject-` is refused
// at RCPT TO with 550, like an unknown mailbox.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import * as v from 'valibot'
import type { ReceivedMail } from '../test/support/received-mail'

export type { ReceivedMail }

export type MailSink = {
  smtpPort: number
  httpPort: number
  messages: ReceivedMail[]
  /** Resolves with the first message (already received or to come) that `match` accepts. */
  waitFor(match: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>
  close(): Promise<void>
}

const FaultSchema = v.nullable(v.object({ code: v.number(), count: v.number(), to: v.optional(v.string()) }))
type Fault = v.InferOutput<typeof FaultSchema>

const addresses = (value: unknown): string[] => {
  const list = Array.isArray(value) ? value : value ? [value] : []
  return list.flatMap((a: { value?: Array<{ address?: string }> }) => (a.value ?? []).map((v) => v.address ?? ''))
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export async function startMailSink(options: { smtpPort?: number; httpPort?: number; quiet?: boolean } = {}): Promise<MailSink> {
  const messages: ReceivedMail[] = []
  const waiters = new Set<{ match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }>()
  let fault: Fault | null = null

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (/^reject-/i.test(address.address)) {
        const err = Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 })
        return callback(err)
      }
      callback()
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const targeted = !fault?.to || session.envelope.rcptTo.some((r) => r.address.toLowerCase() === fault?.to?.toLowerCase())
          if (fault && fault.count > 0 && targeted) {
            fault.count--
            const err = Object.assign(new Error(`injected failure ${fault.code}`), { responseCode: fault.code })
            return callback(err)
          }
          const mail: ReceivedMail = {
            id: messages.length + 1,
            receivedAt: Date.now(),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            from: addresses(parsed.from)[0] ?? '',
            to: addresses(parsed.to),
            cc: addresses(parsed.cc),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            headers: Object.fromEntries([...parsed.headers].map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
            attachments: parsed.attachments.map((a) => ({
              filename: a.filename ?? '',
              contentType: a.contentType,
              content: a.content.toString('utf8'),
            })),
          }
          messages.push(mail)
          for (const w of waiters) {
            if (!w.match(mail)) continue
            waiters.delete(w)
            w.resolve(mail)
          }
          callback()
        })
        .catch(callback)
    },
  })
  // A client that drops its connection (a worker torn down mid-session) is the client's
  // business: smtp-server reports it as an 'error' event, which unhandled would end the process.
  smtp.on('error', (err: Error) => {
    if (!options.quiet) console.warn(`mail sink: ${err.message}`)
  })
  await new Promise<void>((resolve) => smtp.listen(options.smtpPort ?? 0, '127.0.0.1', resolve))

  const http = createServer((req, res) => handleHttp(req, res))
  function handleHttp(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sink')
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (url.pathname === '/messages' && req.method === 'GET') return json(200, messages)
    if (url.pathname === '/messages' && req.method === 'DELETE') {
      messages.length = 0
      return json(200, { ok: true })
    }
    if (url.pathname === '/faults' && req.method === 'POST') {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        try {
          fault = v.parse(FaultSchema, JSON.parse(body || 'null'))
        } catch (err) {
          return json(400, { error: err instanceof Error ? err.message : 'bad fault' })
        }
        json(200, { ok: true })
      })
      return
    }
    const one = /^\/messages\/(\d+)(\/body)?$/.exec(url.pathname)
    if (one) {
      const mail = messages.find((m) => m.id === Number(one[1]))
      if (!mail) return json(404, { error: 'no such message' })
      if (one[2]) {
        // The alert's own HTML, shown only inside a sandboxed frame: nothing in it can run.
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "script-src 'none'" })
        return res.end(mail.html || `<pre>${escapeHtml(mail.text)}</pre>`)
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end(renderMessage(mail))
    }
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end(renderInbox(messages))
    }
    json(404, { error: 'not found' })
  }
  await new Promise<void>((resolve) => http.listen(options.httpPort ?? 0, '127.0.0.1', resolve))

  return {
    smtpPort: (smtp.server.address() as AddressInfo).port,
    httpPort: (http.address() as AddressInfo).port,
    messages,
    waitFor(match, timeoutMs = 15_000) {
      const found = messages.find(match)
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (m: ReceivedMail) => {
            clearTimeout(timer)
            resolve(m)
          },
        }
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error('no matching mail arrived'))
        }, timeoutMs)
        waiters.add(waiter)
      })
    },
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()))
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}

const PAGE_STYLE = `body{font:14px system-ui,sans-serif;margin:0;padding:16px 24px;color:#1d2330}h1{font-size:18px}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:6px 10px;text-align:left;vertical-align:top}
iframe{border:1px solid #ddd;width:100%;height:640px;margin-top:12px}`

function renderMessage(m: ReceivedMail): string {
  const rows: Array<[string, string]> = [
    ['From', m.from],
    ['To', m.to.join(', ')],
    ['CC', m.cc.join(', ')],
    ['Subject', m.subject],
    ['Alert key', m.headers['x-pagebell-alert-key'] ?? ''],
    ['Attachments', m.attachments.map((a) => a.filename).join(', ')],
  ]
  return `<!doctype html><meta charset="utf-8"><title>${escapeHtml(m.subject)} — mail sink</title><style>${PAGE_STYLE}</style>
<p><a href="/">← all messages</a></p><table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
<iframe sandbox src="/messages/${m.id}/body" title="message body"></iframe>`
}

function renderInbox(messages: ReceivedMail[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) => `<tr><td>${new Date(m.receivedAt).toLocaleTimeString()}</td><td>${escapeHtml(m.to.join(', '))}</td>
        <td>${escapeHtml(m.cc.join(', '))}</td><td><a href="/messages/${m.id}">${escapeHtml(m.subject)}</a></td></tr>`,
    )
    .join('')
  return `<!doctype html><meta charset="utf-8"><title>Pagebell mail sink</title>
<style>${PAGE_STYLE}</style>
<h1>Mail sink — ${messages.length} message(s)</h1><p>Every alert delivered locally lands here. Reload to refresh.</p>
<table><tr><th>Time</th><th>To</th><th>CC</th><th>Subject</th></tr>${rows || '<tr><td colspan=4>No mail yet.</td></tr>'}</table>`
}
