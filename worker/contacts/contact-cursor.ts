// The opaque cursor of the contacts list: the (created_at, id) of the last contact of a page, the
// list's order, so a page starts right after it however many contacts arrive meanwhile.
import type { ContactCursor } from '../db/queries/contacts'

const toBase64Url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

export const encodeContactCursor = (c: ContactCursor) => toBase64Url(`${c.createdAt}.${c.id}`)

export function decodeContactCursor(cursor: string): ContactCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null
  try {
    const match = /^(\d{1,16})\.([\w-]{1,64})$/.exec(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')))
    return match ? { createdAt: Number(match[1]), id: match[2] ?? '' } : null
  } catch {
    return null
  }
}
