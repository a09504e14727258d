// The one interface every delivery transport implements, and the error type they all throw.

export type Attachment = { filename: string; content: string; mimeType: string }

export type OutgoingMessage = {
  /** Idempotency key of the alert (or digest); sent as X-Pagebell-Alert-Key / Idempotency-Key. */
  alertKey: string
  /** `account`: an invitation or a password reset (the key is the link's id). */
  kind: 'alert' | 'digest' | 'test' | 'account'
  from: string
  to: string[]
  cc: string[]
  subject: string
  text: string
  html: string
  attachments: Attachment[]
  /** The template variables the message was rendered from, for transports that post JSON. */
  data: Readonly<Record<string, unknown>>
}

export type Transport = {
  name: string
  /** True when re-sending with the same alert key can never deliver twice (the receiver dedupes). */
  idempotent: boolean
  send(message: OutgoingMessage): Promise<void>
}

/**
 * A failed send: `temporary` failures are retried with backoff, permanent ones recorded as failed.
 * `recipient` names the one address the receiver refused before anything was delivered (SMTP
 * RCPT TO): the others can still be sent to without it.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
    readonly recipient?: string,
  ) {
    super(message)
    this.name = 'DeliveryError'
  }
}

export const ALERT_KEY_HEADER = 'X-Pagebell-Alert-Key'
