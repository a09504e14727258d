// A fixed-window request counter: at most `limit` hits per key per `windowMs`, used by the
// collect route per site and by visitor shards per visitor. Pure apart from its own memory;
// the caller passes the clock, so it is testable without waiting.

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number }

export class FixedWindow {
  private readonly windows = new Map<string, { start: number; hits: number }>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    /** Keys remembered at most; a flood of distinct keys cannot grow memory without bound. */
    private readonly maxKeys = 10_000,
  ) {}

  hit(key: string, now: number): Admission {
    const start = now - (now % this.windowMs)
    let window = this.windows.get(key)
    if (!window || window.start !== start) {
      if (!window && this.windows.size >= this.maxKeys) this.windows.clear()
      window = { start, hits: 0 }
      this.windows.set(key, window)
    }
    if (window.hits >= this.limit) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((start + this.windowMs - now) / 1000)) }
    window.hits++
    return { ok: true }
  }
}
