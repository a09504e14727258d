// The SMTP client when the server misbehaves at the connection level: silent, dropping the
// connection mid-message, or dropping connections an attempt already gave up on (a hung
// server restarted). Each is a temporary failure within the client's deadlines, and the
// isolate keeps serving: the next request and the next send go through at once.
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { smtpTransport } from '../../../worker/delivery/transports/smtp'
import { mails } from '../support/collect'
import { smtp } from './support'
import { dropHungConnections, failureOf, message, scriptedState, servers, SHORT_TIMEOUTS } from './smtp-support'

/** The worker answers a request, and the next send to the sink is delivered. */
async function stillServing() {
  const res = await SELF.fetch('https://pagebell.test/', { redirect: 'manual' })
  expect(res.status).toBe(302)
  const m = message()
  await smtp().send(m)
  expect((await mails()).filter((mail) => mail.headers['x-pagebell-alert-key'] === m.alertKey)).toHaveLength(1)
}

describe('SMTP client failures', () => {
  it('gives up on a server that accepts the connection and never answers: temporary, within its deadline', async () => {
    const before = (await scriptedState()).silentConnections
    const started = Date.now()
    const error = await failureOf(smtpTransport(`smtp://127.0.0.1:${servers().silent}`, SHORT_TIMEOUTS), message())
    expect(Date.now() - started).toBeLessThan(SHORT_TIMEOUTS.replyMs + 1_500)
    expect(error).toMatchObject({ temporary: true })
    expect(error.message).toBe('smtp: no answer within 0.5 s (the greeting)')
    expect((await scriptedState()).silentConnections).toBe(before + 1)
    await stillServing()
  })

  it('keeps serving when a hung server it gave up on is restarted and drops those connections', async () => {
    const attempts = [message(), message()]
    for (const m of attempts) {
      const error = await failureOf(smtpTransport(`smtp://127.0.0.1:${servers().silent}`, SHORT_TIMEOUTS), m)
      expect(error).toMatchObject({ temporary: true })
    }
    // Whatever the client left of those attempts, the server now ends their connections.
    expect(await dropHungConnections()).toBeGreaterThanOrEqual(0)
    await stillServing()
    await stillServing()
  })

  it('fails temporarily when the server closes the connection in the middle of the message, and keeps serving', async () => {
    const error = await failureOf(smtpTransport(`smtp://127.0.0.1:${servers().dropInData}?starttls=off`, SHORT_TIMEOUTS), message())
    expect(error).toMatchObject({ temporary: true })
    expect(error.message).toMatch(/^smtp: (the server closed the connection \(the end of the message\)|sending the message: )/)
    await stillServing()
  })

  it('fails temporarily when nothing listens on the port', async () => {
    const error = await failureOf(smtpTransport('smtp://127.0.0.1:9', SHORT_TIMEOUTS), message())
    expect(error).toMatchObject({ temporary: true })
    expect(error.message).toMatch(/^smtp: /)
  })
})
