// One TCP (or TLS) connection to an SMTP server over `cloudflare:sockets`, with a deadline on
// every step: opening, each write, each reply. A server that never answers, or a socket that
// ends or fails, becomes an SmtpConnectionError at once, never a wait without end or a loop on
// a closed stream; a connection that failed is closed, so no read is left pending on it.
import { connect } from 'cloudflare:sockets'
import { ReplyBuffer, type SmtpReply } from './smtp-reply'

/** The connection broke, timed out or carried something that is not SMTP: worth a retry later. */
export class SmtpConnectionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SmtpConnectionError'
  }
}

export type ConnectionOptions = {
  host: string
  port: number
  /** `on`: TLS from the first byte (port 465); `starttls`: plain text that may be upgraded. */
  secureTransport: 'on' | 'starttls' | 'off'
  connectTimeoutMs: number
  /** The whole conversation ends by then, however slowly the server answers each step in time. */
  totalMs: number
}

export class SmtpConnection {
  private reader: ReadableStreamDefaultReader<Uint8Array>
  private writer: WritableStreamDefaultWriter<Uint8Array>
  private decoder = new TextDecoder()
  private readonly replies = new ReplyBuffer()
  private closed = false

  private constructor(
    private socket: Socket,
    private readonly host: string,
    private readonly endsAt: number,
  ) {
    const { reader, writer } = byteStreams(socket)
    this.reader = reader
    this.writer = writer
  }

  static async open(options: ConnectionOptions): Promise<SmtpConnection> {
    let socket: Socket
    try {
      socket = connect({ hostname: options.host, port: options.port }, { secureTransport: options.secureTransport, allowHalfOpen: false })
    } catch (err) {
      throw new SmtpConnectionError(`cannot connect to ${options.host}:${options.port}: ${messageOf(err)}`)
    }
    const connection = new SmtpConnection(socket, options.host, Date.now() + options.totalMs)
    try {
      await connection.within(options.connectTimeoutMs, socket.opened, `connecting to ${options.host}:${options.port}`)
    } catch (err) {
      connection.close()
      throw err instanceof SmtpConnectionError
        ? err
        : new SmtpConnectionError(`cannot connect to ${options.host}:${options.port}: ${messageOf(err)}`)
    }
    return connection
  }

  /** Writes `text` (commands and message data are ASCII by construction) within `timeoutMs`. */
  async write(text: string, timeoutMs: number, what: string): Promise<void> {
    try {
      await this.within(timeoutMs, this.writer.write(new TextEncoder().encode(text)), what)
    } catch (err) {
      this.close()
      throw err instanceof SmtpConnectionError ? err : new SmtpConnectionError(`${what}: ${messageOf(err)}`)
    }
  }

  /** The server's next reply within `timeoutMs`; a closed, failed or silent connection throws. */
  async reply(timeoutMs: number, what: string): Promise<SmtpReply> {
    const deadline = Date.now() + timeoutMs
    try {
      for (;;) {
        const reply = this.replies.next()
        if (reply) return reply
        const { value, done } = await this.within(Math.max(1, deadline - Date.now()), this.reader.read(), what, timeoutMs)
        // A stream that has ended stays ended: stop here, never read it again.
        if (done) throw new SmtpConnectionError(`the server closed the connection (${what})`)
        this.replies.push(this.decoder.decode(value, { stream: true }))
      }
    } catch (err) {
      this.close()
      throw err instanceof SmtpConnectionError ? err : new SmtpConnectionError(`${what}: ${messageOf(err)}`)
    }
  }

  /** Upgrades to TLS after the server's 220 to STARTTLS; the plain streams are given up first. */
  async startTls(timeoutMs: number): Promise<void> {
    // Text after the 220 was sent in clear, by the server or by someone in between: it must not
    // be read as the encrypted server's replies (the STARTTLS injection attacks).
    if (this.replies.pending) {
      this.close()
      throw new SmtpConnectionError('the server sent more after its answer to STARTTLS; not going on')
    }
    this.reader.releaseLock()
    this.writer.releaseLock()
    try {
      this.socket = this.socket.startTls({ expectedServerHostname: this.host })
      const { reader, writer } = byteStreams(this.socket)
      this.reader = reader
      this.writer = writer
      this.decoder = new TextDecoder()
      await this.within(timeoutMs, this.socket.opened, 'the TLS handshake')
    } catch (err) {
      this.close()
      throw err instanceof SmtpConnectionError ? err : new SmtpConnectionError(`STARTTLS: ${messageOf(err)}`)
    }
  }

  /** Closes the socket, ending any read still pending on it; safe to call more than once. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.reader.cancel().catch(() => {})
    this.socket.close().catch(() => {})
  }

  /**
   * `work` within `timeoutMs` (and the conversation's end), else an SmtpConnectionError naming `what`.
   * `statedMs` is the deadline the message names: a reply read in pieces waits for what is left of
   * its deadline, but the error still names the deadline itself.
   */
  private async within<T>(timeoutMs: number, work: Promise<T>, what: string, statedMs = timeoutMs): Promise<T> {
    const left = this.endsAt - Date.now()
    const [waitMs, why] =
      left < timeoutMs ? [Math.max(0, left), 'the conversation ran out of time'] : [timeoutMs, `no answer within ${statedMs / 1000} s`]
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SmtpConnectionError(`${why} (${what})`)), waitMs)
    })
    try {
      return await Promise.race([work, timeout])
    } finally {
      clearTimeout(timer)
    }
  }
}

/** A socket's streams carry bytes; its type leaves them untyped. */
function byteStreams(socket: Socket) {
  const readable = socket.readable as ReadableStream<Uint8Array>
  const writable = socket.writable as WritableStream<Uint8Array>
  return { reader: readable.getReader(), writer: writable.getWriter() }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))
