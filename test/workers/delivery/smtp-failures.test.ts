// The SMTP client when the server misbehaves at the connection level: silent, dropping the
// connection mid-message, or restarted while an attempt waits for its greeting (the stream the
// client reads ends: a client that reads it again loops for ever and freezes the isolate). Each is a temporary failure within the client's deadlines, and the
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

  it('ends the whole conversation at its own deadline, whatever the deadline of the step', async () => {
    const started = Date.now()
    const error = await failureOf(
      smtpTransport(`smtp://127.0.0.1:${servers().silent}`, { ...SHORT_TIMEOUTS, replyMs: 5_000, totalMs: 300 }),
      message(),
    )
    expect(Date.now() - started).toBeLessThan(1_500)
    expect(error).toMatchObject({ temporary: true, message: 'smtp: the conversation ran out of time (the greeting)' })
  })

  it('fails at once when a hung server is restarted while the attempt waits, and keeps serving', async () => {
    const before = (await scriptedState()).silentConnections
    const started = Date.now()
    const attempt = failureOf(smtpTransport(`smtp://127.0.0.1:${servers().silent}`, { ...SHORT_TIMEOUTS, replyMs: 20_000 }), message())
    await expect.poll(async () => (await scriptedState()).silentConnections, { timeout: 5_000 }).toBe(before + 1)
    // The server restarts: the connection the client is waiting on ends.
    expect(await dropHungConnections()).toBe(1)
    const error = await attempt
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(error).toMatchObject({ temporary: true, message: 'smtp: the server closed the connection (the greeting)' })
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
