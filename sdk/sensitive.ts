// Values that are secret whatever their field is called: form builders name fields `q12_input`
// or `field_7`, so names alone miss them. `digits` is the value without spaces and dashes.
// Secret: a US SSN (3-2-4 digits with separators), a payment card (13-19 digits) or a Canadian
// SIN (9 digits) passing Luhn, an IBAN passing mod-97. What this knowingly does not catch is
// listed in docs/tracking-script.md.

/** Folds the characters of `s` from the left, from 0: the one loop both checksums share. */
const fold = (s: string, f: (total: number, c: string, i: number) => number) => [...s].reduce(f, 0)

export const isSecret = (value: string, digits: string): unknown =>
  /^\d{3}([ -])\d\d\1\d{4}$/.test(value) ||
  (/^(\d{9}|\d{13,19})$/.test(digits)
    ? // Luhn: from the right, every second digit doubled; (2c - 1) % 9 + 1 is the digit sum of 2c (0 for 0).
      !(fold(digits, (t, c, i) => t + ((digits.length - i) & 1 ? +c : ((+c * 2 - 1) % 9) + 1)) % 10)
    : // IBAN: country and check digits moved to the end, letters read as 10-35 (two digits), the number leaves 1 modulo 97.
      /^[a-z]{2}\d\d\w{11,30}$/i.test(digits) &&
      fold(digits.slice(4) + digits.slice(0, 4), (t, c) => (t * (c > '9' ? 100 : 10) + parseInt(c, 36)) % 97) == 1)
