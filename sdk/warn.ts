// Misuse of the script (an unknown command, an identify without a valid e-mail, no data-site)
// is reported on the console once per kind, `pagebell: invalid <kind>`, and otherwise ignored:
// the script never throws at the page.
const warned: Record<string, unknown> = {}

export const warn = (kind: string): unknown => (warned[kind] ||= console.warn('pagebell: invalid ' + kind) ?? 1)
