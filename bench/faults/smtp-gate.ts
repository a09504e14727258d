// A TCP gate in front of the SMTP sink, so a fault case can make the mail server fail the way a
// real one does at the connection level: `down` closes the listening port (connection refused,
// as a stopped server; its open sessions are dropped), `hang` accepts connections and never says
// a word (a stuck server: the worker's SMTP client times out), `up` pipes every connection to the
// sink. Leaving `hang`, the hung connections are either answered at last (the server recovers:
// they are piped to the sink, which greets them) or dropped (the server is restarted). Replies
// the server itself gives (451, 550) are the sink's own fault injection (scripts/mail-sink.ts).
import { createServer, connect, type Server, type Socket } from 'node:net'

export type GateMode = 'up' | 'down' | 'hang'

export type SmtpGate = {
  port: number
  mode(): GateMode
  /**
   * Switches mode; `down` resolves once the port refuses connections, `up`/`hang` once it listens.
   * `hung` says what happens to connections left hanging: answered (default) or dropped.
   */
  set(mode: GateMode, options?: { hung?: 'answer' | 'drop' }): Promise<void>
  /** Connections accepted so far while hanging (each one is an attempt the worker gave up on). */
  hungConnections(): number
  close(): Promise<void>
}

export async function startSmtpGate(options: { port: number; targetPort: number }): Promise<SmtpGate> {
  let mode: GateMode = 'up'
  let server: Server | null = null
  let hungCount = 0
  const open = new Set<Socket>()
  const hanging = new Set<Socket>()

  const accept = (client: Socket) => {
    open.add(client)
    client.on('close', () => {
      open.delete(client)
      hanging.delete(client)
    })
    client.on('error', () => client.destroy())
    if (mode === 'hang') {
      hungCount++
      hanging.add(client)
      return
    }
    pipeToSink(client)
  }

  const pipeToSink = (client: Socket) => {
    const upstream = connect(options.targetPort, '127.0.0.1')
    open.add(upstream)
    upstream.on('close', () => {
      open.delete(upstream)
      client.destroy()
    })
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    client.pipe(upstream)
    upstream.pipe(client)
  }

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer(accept)
      s.once('error', reject)
      s.listen(options.port, '127.0.0.1', () => {
        server = s
        resolve()
      })
    })
  const stopListening = () =>
    new Promise<void>((resolve) => {
      const s = server
      server = null
      // A stopped server also drops the sessions it had: destroy them, or they would linger.
      for (const socket of open) socket.destroy()
      if (!s) return resolve()
      s.close(() => resolve())
    })

  await listen()
  return {
    port: options.port,
    mode: () => mode,
    async set(next, { hung = 'answer' } = {}) {
      if (next === mode) return
      const wasDown = mode === 'down'
      if (mode === 'hang') {
        for (const socket of hanging) {
          if (hung === 'drop' || next === 'down') socket.destroy()
          else pipeToSink(socket)
        }
        hanging.clear()
      }
      mode = next
      if (next === 'down') await stopListening()
      else if (wasDown) await listen()
    },
    hungConnections: () => hungCount,
    close: stopListening,
  }
}
