// The optional one-time token that guards the first-run form on a public deployment: when the
// operator sets the secret SETUP_TOKEN, /admin/setup asks for it, so the first visitor of a
// fresh instance cannot claim it. Without the secret the form is open until the first user
// exists (fine locally, and on a deployment set up with `npm run setup -- --remote`).
import * as v from 'valibot'

const SetupEnv = v.object({ SETUP_TOKEN: v.optional(v.pipe(v.string(), v.trim())) })

/** The token the form must be given, or null when none is configured. */
export function configuredSetupToken(env: object): string | null {
  const parsed = v.safeParse(SetupEnv, env)
  return parsed.success && parsed.output.SETUP_TOKEN ? parsed.output.SETUP_TOKEN : null
}

/** Constant-time comparison, so the token cannot be guessed a character at a time. */
export function setupTokenMatches(expected: string, given: string): boolean {
  const a = new TextEncoder().encode(expected)
  const b = new TextEncoder().encode(given)
  let diff = a.length ^ b.length
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ (b[i] ?? 0)
  return diff === 0
}
