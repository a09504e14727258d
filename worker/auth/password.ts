// Password hashing for admin users: PBKDF2-SHA256 through WebCrypto with a random 16-byte salt.
// 100,000 iterations is the most workerd's PBKDF2 accepts. Stored as
// `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>` so the count can change later.
const ITERATIONS = 100_000
const PREFIX = 'pbkdf2-sha256'

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const fromBase64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0))

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256)
  return new Uint8Array(bits)
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  return `${PREFIX}$${ITERATIONS}$${toBase64(salt)}$${toBase64(await derive(password, salt, ITERATIONS))}`
}

/** Compares in constant time; false for a malformed or missing stored hash. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [prefix, iterations, salt, hash] = (stored ?? '').split('$')
  const count = Number(iterations)
  if (prefix !== PREFIX || !salt || !hash || !Number.isInteger(count) || count < 1 || count > ITERATIONS) return false
  const expected = fromBase64(hash)
  const actual = await derive(password, fromBase64(salt), count)
  if (actual.length !== expected.length) return false
  let diff = 0
  for (let i = 0; i < actual.length; i++) diff |= actual[i]! ^ expected[i]!
  return diff === 0
}
