// How contacts are searched: e-mail, name and company folded into one text (lower case, accents
// dropped), stored on the contact and compared with a search term folded the same way. SQLite's
// lower() and LIKE fold ASCII only; folding here makes "muller" find "Müller" and "ŁUKASZ" find
// "Łukasz".

/** Lower case without combining marks (é → e, ü → u); letters that do not decompose (ł, ø) stay. */
export const foldForSearch = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()

/** The stored search text of a contact; a line break between fields keeps a term within one field. */
export const contactSearchText = (c: { email: string; name: string; company: string }) =>
  foldForSearch(`${c.email}\n${c.name}\n${c.company}`)

/** A LIKE pattern matching `term` anywhere (with `ESCAPE '\'`): % and _ in the term are literal. */
export const containsPattern = (term: string) => `%${foldForSearch(term).replace(/[\\%_]/g, (c) => `\\${c}`)}%`
