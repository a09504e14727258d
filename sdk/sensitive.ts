// Values that are secret whatever their field is called: form builders name fields `q12_input`
// or `field_7`, so names alone miss them. `digits` is the value without spaces and dashes,
// upper-cased. Secret: a US SSN (3-2-4 digits with separators), a payment card (13-19 digits)
// or a Canadian SIN (9 digits) passing Luhn, an IBAN passing mod-97. What this knowingly does
// not catch is listed in docs/tracking-script.md.
export const isSecret = (value: string, digits: string): unknown =>
  /^\d{3}([ -])\d\d\1\d{4}$/.test(value) ||
  (/^(\d{9}|\d{13,19})$/.test(digits)
    ? // Luhn: from the right, every second digit doubled (the table holds the doubled digit's digit sum).
      !([...digits].reduce((sum, c, i) => sum + +((digits.length - i) & 1 ? c : '0246813579'[c as never]!), 0) % 10)
    : // IBAN: country and check digits moved to the end, letters read as 10-35; the number leaves 1 modulo 97.
      /^[A-Z]{2}\d\d\w{11,30}$/.test(digits) &&
      BigInt((digits.slice(4) + digits.slice(0, 4)).replace(/\D/g, (c) => parseInt(c, 36) as never)) % 97n == 1n)
