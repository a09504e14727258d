// Random bearer secrets (session cookies, API tokens, invitation and reset links) and the
// SHA-256 under which they are stored: a leaked database row cannot be replayed as a token.
import { sha256Hex } from '../hex-digest'

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')

/** 32 random bytes, url-safe, with a readable prefix (`pbs_` session, `pbt_` API token, `pbl_` account link). */
export const newSecret = (prefix: 'pbs_' | 'pbt_' | 'pbl_') => prefix + toBase64Url(crypto.getRandomValues(new Uint8Array(32)))

export const secretHash = (secret: string): Promise<string> => sha256Hex(secret)
