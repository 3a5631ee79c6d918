/**
 * NPI check digit: the Luhn formula over the 9 leading digits prefixed with
 * the card issuer constant 80840 (CMS, "Requirements for NPI Check Digit").
 * The normalizer reports a failed check as a data-quality finding on the
 * claim; the enricher's pend rule reads the same function.
 */
export function isValidNpiCheckDigit(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi.slice(0, 9)}`;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    // Double every second digit from the right of the payload (the check digit is excluded).
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  const checkDigit = (10 - (sum % 10)) % 10;
  return checkDigit === Number(npi[9]);
}
