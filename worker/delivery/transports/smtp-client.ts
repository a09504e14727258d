// The SMTP conversation that hands one message to a server (RFC 5321): greeting, EHLO (HELO
// when EHLO is refused), STARTTLS, AUTH PLAIN or LOGIN, MAIL FROM, RCPT TO per recipient, DATA
// and QUIT. The first recipient the server refuses stops the conversation before DATA, so
// nobody has got the message yet and the caller can send again without that address. Every
// step has a deadline (smtp-connection.ts); a server's refusal is an SmtpRefusal, temporary
// for 4xx and permanent for 5xx.
import { base64Utf8 } from './base64'
import { SmtpConnection } from './smtp-connection'
import { dataBlock } from './smtp-data'
import { ehloExtensions, replyText, type SmtpReply } from './smtp-reply'

export type SmtpTimeouts = {
  connectMs: number
  /** For each reply, and each command's write. */
  replyMs: number
  /** For writing the message and the server's answer to its end (servers scan the message then). */
  dataMs: number
  /**
   * For the whole conversation: an attempt ends well before the outbox takes a claim for an
   * interrupted send (SENDING_STALE_MS, 10 min), however many steps a slow server answers just in time.
   */
  totalMs: number
}

export const SMTP_TIMEOUTS: SmtpTimeouts = { connectMs: 10_000, replyMs: 10_000, dataMs: 30_000, totalMs: 120_000 }

export type SmtpSettings = {
  host: string
  port: number
  /** implicit: TLS from the start (smtps, port 465); starttls: upgrade when offered, or must be (`required`). */
  tls: 'implicit' | 'starttls' | 'starttls-required' | 'off'
  credentials?: { username: string; password: string }
  /** The name this client gives in EHLO. */
  clientName: string
  timeouts: SmtpTimeouts
}

/** The server refused a step, or cannot do what the settings ask. */
export class SmtpRefusal extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
    /** The recipient refused at RCPT TO, when that is what happened. */
    readonly recipient?: string,
  ) {
    super(message)
    this.name = 'SmtpRefusal'
  }
}

/** A usable envelope address: nothing that could end the command line or the angle brackets. */
const ENVELOPE_ADDRESS = /^[^\s<>]+@[^\s<>@]+$/

export async function sendMail(settings: SmtpSettings, envelope: { from: string; to: string[] }, message: string): Promise<void> {
  if (!ENVELOPE_ADDRESS.test(envelope.from)) throw new SmtpRefusal(`not a sender address: ${JSON.stringify(envelope.from)}`, false)
  const unusable = envelope.to.find((a) => !ENVELOPE_ADDRESS.test(a))
  if (unusable !== undefined) throw new SmtpRefusal(`not a recipient address: ${JSON.stringify(unusable)}`, false, unusable)

  const { timeouts } = settings
  const connection = await SmtpConnection.open({
    host: settings.host,
    port: settings.port,
    secureTransport: settings.tls === 'implicit' ? 'on' : settings.tls === 'off' ? 'off' : 'starttls',
    connectTimeoutMs: timeouts.connectMs,
    totalMs: timeouts.totalMs,
  })
  const step: Step = async (command, expected, what) => {
    await connection.write(`${command}\r\n`, timeouts.replyMs, what)
    return expectReply(await connection.reply(timeouts.replyMs, what), expected, what)
  }
  try {
    expectReply(await connection.reply(timeouts.replyMs, 'the greeting'), [220], 'the greeting')
    let extensions = await hello(settings.clientName, step)
    if (settings.tls === 'starttls' || settings.tls === 'starttls-required') {
      if (extensions.has('STARTTLS')) {
        await step('STARTTLS', [220], 'STARTTLS')
        await connection.startTls(timeouts.connectMs)
        extensions = await hello(settings.clientName, step)
      } else if (settings.tls === 'starttls-required') {
        // Temporary: a server (or something between) that stops offering it may offer it again.
        throw new SmtpRefusal('the server does not offer STARTTLS, which SMTP_URL requires (starttls=required)', true)
      }
    }
    if (settings.credentials) await authenticate(settings.credentials, extensions.get('AUTH') ?? [], step)
    await step(`MAIL FROM:<${envelope.from}>`, [250], 'MAIL FROM')
    for (const to of envelope.to) {
      await connection.write(`RCPT TO:<${to}>\r\n`, timeouts.replyMs, 'RCPT TO')
      const reply = await connection.reply(timeouts.replyMs, 'RCPT TO')
      if (reply.code !== 250 && reply.code !== 251)
        throw new SmtpRefusal(`RCPT TO <${to}> refused: ${replyText(reply)}`, reply.code < 500, to)
    }
    await step('DATA', [354], 'DATA')
    await connection.write(dataBlock(message), timeouts.dataMs, 'sending the message')
    expectReply(await connection.reply(timeouts.dataMs, 'the end of the message'), [250], 'the end of the message')
    // The server has the message: nothing after this may fail the send.
    await quit(connection, timeouts.replyMs)
  } catch (err) {
    // A refusal leaves a working session, which is ended politely; a broken one is just closed.
    if (err instanceof SmtpRefusal) await quit(connection, timeouts.replyMs)
    throw err
  } finally {
    connection.close()
  }
}

type Step = (command: string, expected: number[], what: string) => Promise<SmtpReply>

function expectReply(reply: SmtpReply, expected: number[], what: string): SmtpReply {
  if (expected.includes(reply.code)) return reply
  throw new SmtpRefusal(`${what}: ${replyText(reply)}`, reply.code < 500)
}

/** EHLO, or HELO when the server does not know EHLO (5xx); the extensions it offers (none after HELO). */
async function hello(clientName: string, step: Step): Promise<Map<string, string[]>> {
  try {
    return ehloExtensions(await step(`EHLO ${clientName}`, [250], 'EHLO'))
  } catch (err) {
    if (!(err instanceof SmtpRefusal) || err.temporary) throw err
    await step(`HELO ${clientName}`, [250], 'HELO')
    return new Map()
  }
}

/** AUTH PLAIN when offered, else AUTH LOGIN. The steps are named without their arguments: no secret reaches an error text. */
async function authenticate(credentials: { username: string; password: string }, methods: string[], step: Step): Promise<void> {
  if (methods.includes('PLAIN')) {
    await step(`AUTH PLAIN ${base64Utf8(`\0${credentials.username}\0${credentials.password}`)}`, [235], 'AUTH PLAIN')
    return
  }
  if (methods.includes('LOGIN')) {
    await step('AUTH LOGIN', [334], 'AUTH LOGIN')
    await step(base64Utf8(credentials.username), [334], 'AUTH LOGIN (user name)')
    await step(base64Utf8(credentials.password), [235], 'AUTH LOGIN (password)')
    return
  }
  const offered = methods.length ? `it offers ${methods.join(', ')}` : 'it offers none'
  throw new SmtpRefusal(
    `SMTP_URL has credentials but the server offers no AUTH method this client speaks (PLAIN, LOGIN): ${offered}`,
    false,
  )
}

/** QUIT, waiting briefly for the 221; whatever happens here is of no consequence. */
async function quit(connection: SmtpConnection, timeoutMs: number): Promise<void> {
  try {
    await connection.write('QUIT\r\n', timeoutMs, 'QUIT')
    await connection.reply(timeoutMs, 'QUIT')
  } catch {
    // The session is over either way.
  }
}
