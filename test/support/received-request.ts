// A request as the local HTTP sink received it (shared by Node and Workers tests).
export type ReceivedRequest = {
  id: number
  receivedAt: number
  method: string
  path: string
  headers: Record<string, string>
  body: string
  /** The status the sink answered with. */
  status: number
  /** True when the request repeated an idempotency key already delivered (answered, not delivered again). */
  replay: boolean
}
