// The opaque cursor of a list ordered newest first by (created_at, id), as the sites and contacts
// lists are: the position of the last row of a page, so the next page starts right after it
// however many rows arrive meanwhile. Base64url, so it travels in a query string as it is.

export type PageCursor = { createdAt: number; id: string }

const toBase64Url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

export const encodePageCursor = (c: PageCursor) => toBase64Url(`${c.createdAt}.${c.id}`)

/** The position a cursor names, or null for anything this list did not hand out. */
export function decodePageCursor(cursor: string): PageCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null
  try {
    const match = /^(\d{1,16})\.([\w-]{1,64})$/.exec(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')))
    return match ? { createdAt: Number(match[1]), id: match[2] ?? '' } : null
  } catch {
    return null
  }
}
