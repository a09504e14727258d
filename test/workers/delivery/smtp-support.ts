// Helpers for the SMTP client's tests: a message to send, the test servers' addresses
// (test/support/smtp-test-servers.ts, injected by the global setup), what they accepted, and
// the DeliveryError a failed send throws.
import { inject } from 'vitest'
import type { AcceptedMail, ScriptedState } from '../../support/smtp-test-servers-context'
import { DeliveryError, type OutgoingMessage, type Transport } from '../../../worker/delivery/transports/transport'
import { newId } from '../support/collect'

export { TEST_SMTP_USER } from '../../support/smtp-test-servers-context'

export const servers = () => inject('smtpTestServers')

/** Timeouts short enough for a test to wait out a silent server. */
export const SHORT_TIMEOUTS = { connectMs: 2_000, replyMs: 500, dataMs: 1_000, totalMs: 5_000 }

export function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    alertKey: newId('smtp-key'),
    kind: 'test',
    from: 'Pagebell <alerts@pagebell.local>',
    to: [`${newId('to')}@acme.test`],
    cc: [],
    subject: 'SMTP client test',
    text: 'Hello',
    html: '<p>Hello</p>',
    attachments: [],
    data: {},
    ...overrides,
  }
}

/** The DeliveryError `send` fails with (the test fails if it succeeds or throws anything else). */
export async function failureOf(transport: Transport, m: OutgoingMessage): Promise<DeliveryError> {
  const error = await transport.send(m).then(
    () => new Error('the send succeeded'),
    (err: unknown) => err,
  )
  if (error instanceof DeliveryError) return error
  throw error
}

export async function acceptedBy(server: string): Promise<AcceptedMail[]> {
  const res = await fetch(`${servers().controlUrl}/accepted`)
  return (await res.json<AcceptedMail[]>()).filter((m) => m.server === server)
}

export async function scriptedState(): Promise<ScriptedState> {
  return (await fetch(`${servers().controlUrl}/scripted`)).json<ScriptedState>()
}

/** Drops the connections the silent server left hanging, as a hung server that is restarted does. */
export async function dropHungConnections(): Promise<number> {
  const res = await fetch(`${servers().controlUrl}/silent/drop`, { method: 'POST' })
  return (await res.json<{ dropped: number }>()).dropped
}
