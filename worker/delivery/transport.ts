// The one interface every delivery transport implements.

export type OutgoingMessage = {
  /** Idempotency key of the alert; also sent as the X-Pagebell-Alert-Key header. */
  alertKey: string
  from: string
  to: string[]
  cc: string[]
  subject: string
  text: string
  html: string
  attachments: Array<{ filename: string; content: string; mimeType: string }>
}

export type Transport = {
  name: string
  /** True when re-sending with the same alert key can never deliver twice (the receiver dedupes). */
  idempotent: boolean
  send(message: OutgoingMessage): Promise<void>
}

/** A failed send: `temporary` failures are retried with backoff, permanent ones recorded as failed. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
  ) {
    super(message)
    this.name = 'DeliveryError'
  }
}
