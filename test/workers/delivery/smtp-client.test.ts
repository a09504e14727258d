// The SMTP client (worker/delivery/transports/smtp-client.ts) against real servers: the mail
// sink, a scripted server that answers on several lines and refuses EHLO, smtp-server
// instances demanding AUTH PLAIN or LOGIN, offering STARTTLS, or speaking TLS from the start
// (a self-signed certificate the test configuration trusts).
import { describe, expect, it } from 'vitest'
import { smtpTransport } from '../../../worker/delivery/transports/smtp'
import { mails } from '../support/collect'
import { smtp } from './support'
import { acceptedBy, failureOf, message, scriptedState, servers, TEST_SMTP_USER } from './smtp-support'

const user = `${encodeURIComponent(TEST_SMTP_USER.username)}:${encodeURIComponent(TEST_SMTP_USER.password)}`
const sinkMail = async (alertKey: string) => (await mails()).filter((m) => m.headers['x-pagebell-alert-key'] === alertKey)

describe('SMTP client', () => {
  it('reads replies spread over several lines and falls back to HELO when EHLO is refused', async () => {
    const m = message({ subject: 'multi-line' })
    await smtpTransport(`smtp://127.0.0.1:${servers().multilineHelo}?starttls=off`).send(m)
    const received = (await scriptedState()).multilineReceived.find((raw) => raw.includes(m.alertKey))
    expect(received).toContain('Subject: multi-line')
  })

  it('dot-stuffs body lines starting with "." so the message arrives whole', async () => {
    const text = ['first', '.', '.hidden', '..two dots', 'last'].join('\n')
    const m = message({ text, html: '<p>x</p>\n.\n<p>after the dot</p>' })
    await smtp().send(m)
    const [mail, ...more] = await sinkMail(m.alertKey)
    expect(more).toEqual([])
    expect(mail!.text.replace(/\r\n/g, '\n').trimEnd()).toBe(text)
    expect(mail!.html).toContain('<p>after the dot</p>')
    // On the wire each of those lines had one more dot, which the server took off.
    const raw = message({ text })
    await smtpTransport(`smtp://127.0.0.1:${servers().multilineHelo}?starttls=off`).send(raw)
    const sent = (await scriptedState()).multilineReceived.find((r) => r.includes(raw.alertKey))!
    expect(sent).toMatch(/\r\n\.\.\r\n\.\.hidden\r\n\.\.\.two dots\r\n/)
  })

  it('builds a message mail clients read as it was written: sender name, subject, both parts, the attachment, Date and Message-ID', async () => {
    const subject = `Zażółć gęślą jaźń — «Dana» looked at pricing 💡 ${'and more '.repeat(12)}`.trim()
    const text = `Line one\nA long line ${'with =3D signs and ünïcödé '.repeat(8)}ends here \nTrailing space \n\nLast`
    const html = `<p style="color:red">Dana — ${'x'.repeat(300)}</p>\n<p>€ 1,000</p>`
    const csv = 'email,score\n"dana@buyer.test","70"\n'
    const m = message({
      from: 'Pagebell — Ventes <alerts@pagebell.local>',
      subject,
      text,
      html,
      attachments: [{ filename: 'pricing-interest.csv', content: csv, mimeType: 'text/csv' }],
    })
    await smtp().send(m)
    const [mail] = await sinkMail(m.alertKey)
    expect(mail!.headers['from']).toContain('Pagebell — Ventes')
    expect(mail!.subject).toBe(subject)
    expect(mail!.text.replace(/\r\n/g, '\n').trimEnd()).toBe(text)
    expect(mail!.html.trimEnd()).toBe(html)
    expect(mail!.attachments).toEqual([{ filename: 'pricing-interest.csv', contentType: 'text/csv', content: csv }])
    expect(mail!.headers['message-id']).toMatch(/^<[0-9a-f-]{36}@pagebell\.local>$/)
    expect(Math.abs(Date.parse(JSON.parse(mail!.headers['date']!) as string) - Date.now())).toBeLessThan(60_000)
  })

  it('keeps line breaks in the subject from adding a header or a recipient', async () => {
    const m = message({ subject: 'Pricing\r\nBcc: spy@evil.test\r\n\r\nbody' })
    await smtp().send(m)
    const [mail] = await sinkMail(m.alertKey)
    expect(mail!.subject).toBe('Pricing Bcc: spy@evil.test body')
    expect(mail!.headers['bcc']).toBeUndefined()
    expect(mail!.envelopeTo).toEqual(m.to)
  })

  it('names the CC refused at RCPT TO (550) as a permanent failure, having sent nothing', async () => {
    const m = message({ cc: [`reject-${Date.now()}@acme.test`, 'other@acme.test'] })
    const error = await failureOf(smtp(), m)
    expect(error).toMatchObject({ temporary: false, recipient: m.cc[0] })
    expect(error.message).toMatch(/^smtp: RCPT TO <reject-\d+@acme\.test> refused: 550 .*mailbox unavailable/)
    expect(await sinkMail(m.alertKey)).toEqual([])
  })

  it('logs in with AUTH PLAIN and with AUTH LOGIN, whichever the server offers', async () => {
    const plain = message()
    await smtpTransport(`smtp://${user}@127.0.0.1:${servers().authPlain}?starttls=off`).send(plain)
    const login = message()
    await smtpTransport(`smtp://${user}@127.0.0.1:${servers().authLogin}?starttls=off`).send(login)
    expect((await acceptedBy('auth-plain')).find((a) => a.envelopeTo.includes(plain.to[0]!))).toMatchObject({ user: 'pagebell' })
    expect((await acceptedBy('auth-login')).find((a) => a.envelopeTo.includes(login.to[0]!))).toMatchObject({ user: 'pagebell' })
  })

  it('fails for good on a wrong password (535) and without credentials (530)', async () => {
    const wrong = await failureOf(smtpTransport(`smtp://pagebell:wrong@127.0.0.1:${servers().authLogin}?starttls=off`), message())
    expect(wrong).toMatchObject({ temporary: false })
    expect(wrong.message).toMatch(/^smtp: AUTH LOGIN \(password\): 535 /)
    expect(wrong.message).not.toContain('wrong')
    const none = await failureOf(smtpTransport(`smtp://127.0.0.1:${servers().authPlain}?starttls=off`), message())
    expect(none).toMatchObject({ temporary: false })
    expect(none.message).toMatch(/^smtp: MAIL FROM: 530 /)
  })

  it('upgrades to TLS with STARTTLS before logging in, and speaks TLS from the start with smtps://', async () => {
    const upgraded = message()
    await smtpTransport(`smtp://${user}@localhost:${servers().starttls}?starttls=required`).send(upgraded)
    expect((await acceptedBy('starttls')).find((a) => a.envelopeTo.includes(upgraded.to[0]!))).toMatchObject({
      user: 'pagebell',
      secure: true,
    })
    const implicit = message()
    await smtpTransport(`smtps://localhost:${servers().implicitTls}`).send(implicit)
    expect((await acceptedBy('implicit-tls')).find((a) => a.envelopeTo.includes(implicit.to[0]!))).toMatchObject({ secure: true })
  })

  it('stops when more text follows the answer to STARTTLS, rather than read it as the encrypted server', async () => {
    const error = await failureOf(smtpTransport(`smtp://${user}@127.0.0.1:${servers().starttlsInjection}`), message())
    expect(error).toMatchObject({ temporary: true, message: 'smtp: the server sent more after its answer to STARTTLS; not going on' })
  })

  it('refuses to go on without TLS when SMTP_URL requires STARTTLS and the server does not offer it', async () => {
    const m = message()
    const error = await failureOf(smtpTransport(`smtp://${user}@127.0.0.1:${servers().authPlain}?starttls=required`), m)
    expect(error).toMatchObject({ temporary: true })
    expect(error.message).toContain('does not offer STARTTLS')
    expect((await acceptedBy('auth-plain')).filter((a) => a.envelopeTo.includes(m.to[0]!))).toEqual([])
  })
})
