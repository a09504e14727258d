// Raw TCP servers that misbehave as real SMTP servers do, for the SMTP client's tests (a
// library server such as smtp-server cannot be told to go silent or drop a session midway):
//  - `silent`: accepts and never says a word; its hung connections are dropped on demand
//    (`dropHung()`), as a hung server that is restarted drops them;
//  - `drop-in-data`: a normal session up to DATA's 354, then closes the connection as soon as
//    the message starts;
//  - `multiline-helo`: every reply on several lines ("250-…" then "250 …"), EHLO refused with
//    502 so the client must fall back to HELO; accepts the message and keeps it;
//  - `starttls-injection`: offers STARTTLS and sends a reply more right behind its 220, as an
//    attacker in the middle would to have it read as the encrypted server's.
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export type ScriptedBehaviour = 'silent' | 'drop-in-data' | 'multiline-helo' | 'starttls-injection'

export type ScriptedSmtp = {
  port: number
  /** Connections accepted so far. */
  connections(): number
  /** Drops the connections a silent server left hanging; returns how many. */
  dropHung(): number
  /** The messages a `multiline-helo` server accepted (as sent after DATA, dot-stuffing and all). */
  received: string[]
  close(): Promise<void>
}

export async function startScriptedSmtp(behaviour: ScriptedBehaviour): Promise<ScriptedSmtp> {
  const open = new Set<Socket>()
  const received: string[] = []
  let accepted = 0
  const server: Server = createServer((socket) => {
    accepted++
    open.add(socket)
    socket.on('close', () => open.delete(socket))
    socket.on('error', () => socket.destroy())
    if (behaviour !== 'silent') converse(socket, behaviour, received)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => accepted,
    dropHung() {
      const n = open.size
      for (const socket of open) socket.destroy()
      return n
    },
    received,
    async close() {
      for (const socket of open) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A multi-line reply: every line but the last with "-" after the code. */
const reply = (code: number, ...lines: string[]) => lines.map((l, i) => `${code}${i < lines.length - 1 ? '-' : ' '}${l}\r\n`).join('')

function converse(socket: Socket, behaviour: Exclude<ScriptedBehaviour, 'silent'>, received: string[]) {
  const multi = behaviour === 'multiline-helo'
  const say = (code: number, text: string) => socket.write(multi ? reply(code, `${text} (1 of 2)`, `${text} (2 of 2)`) : reply(code, text))
  let buffer = ''
  let inData = false
  say(220, 'scripted ESMTP')
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1')
    if (inData) {
      if (behaviour === 'drop-in-data') return void socket.destroy()
      const end = buffer.indexOf('\r\n.\r\n')
      if (end < 0) return
      received.push(buffer.slice(0, end + 2))
      buffer = buffer.slice(end + 5)
      inData = false
      say(250, 'queued')
    }
    for (let end = buffer.indexOf('\r\n'); end >= 0 && !inData; end = buffer.indexOf('\r\n')) {
      const command = buffer.slice(0, end).toUpperCase()
      buffer = buffer.slice(end + 2)
      if (command.startsWith('EHLO')) {
        if (multi) say(502, 'EHLO not implemented')
        else socket.write(reply(250, 'scripted', 'PIPELINING', '8BITMIME', ...(behaviour === 'starttls-injection' ? ['STARTTLS'] : [])))
      } else if (command.startsWith('HELO') || command.startsWith('MAIL') || command.startsWith('RCPT') || command === 'RSET') {
        say(250, 'ok')
      } else if (command === 'STARTTLS' && behaviour === 'starttls-injection') {
        socket.write('220 ready for TLS\r\n250 injected in clear\r\n')
      } else if (command === 'DATA') {
        inData = true
        say(354, 'go ahead')
      } else if (command === 'QUIT') {
        say(221, 'bye')
        socket.end()
      } else say(500, 'unknown command')
    }
  })
}
