/**
 * GS1 standard check digit (GS1 General Specifications §7.9.1), shared by
 * GTIN, GLN, SSCC, GSRN, GSIN, GDTI, GCN and GRAI: from the right, digits are
 * weighted 3, 1, 3, 1…; the check digit tops the sum up to a multiple of ten.
 */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  if (!/^\d+$/.test(digitsWithoutCheck)) {
    throw new RangeError(`a GS1 check digit is computed over digits only, got '${digitsWithoutCheck}'`);
  }
  let sum = 0;
  for (let i = 0; i < digitsWithoutCheck.length; i += 1) {
    const digit = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of `key` is the GS1 check digit of the digits before it. */
export function hasValidGs1CheckDigit(key: string): boolean {
  if (!/^\d{2,}$/.test(key)) return false;
  return gs1CheckDigit(key.slice(0, -1)) === key.charCodeAt(key.length - 1) - 48;
}
