// Visitor, visit and event ids: the 16-17 decimal digits of Math.random() (~53 bits), always
// url-safe and, but for a 1-in-2^50 draw, within the 8-64 characters the wire contract asks.
// Event ids are deduplicated per visitor, so this is ample; crypto.randomUUID would need HTTPS.
export const rid = (): string => (Math.random() + '').slice(2)
