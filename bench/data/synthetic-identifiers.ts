/** Generators for realistic US identifier formats (with valid check digits where real ones have them). */
import type { SeededRandom } from './seeded-random.ts';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Luhn check digit for a string of digits (the digit that makes `digits + check` valid). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** NPI: nine digits starting 1 or 2, Luhn-checked with the 80840 prefix as CMS specifies. */
export function npi(rng: SeededRandom): string {
  const body = `${rng.int(1, 2)}${rng.digits(8)}`;
  return `${body}${luhnCheckDigit(`80840${body}`)}`;
}

/** DEA registration: registrant letter, the prescriber's surname initial, six digits and a check digit. */
export function deaNumber(rng: SeededRandom, lastName: string): string {
  const initial = /[A-Za-z]/.exec(lastName.normalize('NFD'))?.[0]?.toUpperCase() ?? 'X';
  const d = Array.from({ length: 6 }, () => rng.int(0, 9));
  const [d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0] = d;
  const check = (d1 + d3 + d5 + 2 * (d2 + d4 + d6)) % 10;
  return `${rng.pick(['A', 'B', 'F', 'M'])}${initial}${d.join('')}${check}`;
}

/** SSN in the issued ranges (no 000, 666 or 9xx area; no 00 group; no 0000 serial). */
export function ssnDigits(rng: SeededRandom): string {
  let area = rng.int(1, 899);
  if (area === 666) area = 667;
  return `${String(area).padStart(3, '0')}${String(rng.int(1, 99)).padStart(2, '0')}${String(rng.int(1, 9999)).padStart(4, '0')}`;
}

const MBI_LETTERS = 'ACDEFGHJKMNPQRTUVWXY';
const MBI_ALNUM = `${MBI_LETTERS}0123456789`;

/** Medicare Beneficiary Identifier: 11 characters in the CMS position pattern, printed with or without dashes. */
export function mbi(rng: SeededRandom): string {
  const c = (alphabet: string) => rng.characters(1, alphabet);
  const n = () => String(rng.int(0, 9));
  return `${rng.int(1, 9)}${c(MBI_LETTERS)}${c(MBI_ALNUM)}${n()}${c(MBI_LETTERS)}${c(MBI_ALNUM)}${n()}${c(MBI_LETTERS)}${c(MBI_LETTERS)}${n()}${n()}`;
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const VIN_VALUES: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const VIN_MAKERS = ['1FT', '1HG', '4T1', '1GC', '1N4', '1C4', '5YJ', '4S4', '3C6', '5NP', '1G4', '5XY', '2C4', '3GT'];

/** Vehicle identification number with a valid position-9 check digit. */
export function vin(rng: SeededRandom): string {
  const chars =
    `${rng.pick(VIN_MAKERS)}${rng.characters(5, VIN_CHARS)}0${rng.characters(2, VIN_CHARS)}${rng.digits(6)}`.split('');
  const sum = chars.reduce((total, ch, i) => total + (VIN_VALUES[ch] ?? Number(ch)) * (VIN_WEIGHTS[i] ?? 0), 0);
  const check = sum % 11;
  chars[8] = check === 10 ? 'X' : String(check);
  return chars.join('');
}

export function licensePlate(rng: SeededRandom): string {
  return rng.pick([
    () => `${rng.int(1, 9)}${rng.characters(3, UPPER)}${rng.digits(3)}`,
    () => `${rng.characters(3, UPPER)}-${rng.digits(4)}`,
    () => `${rng.characters(3, UPPER)} ${rng.digits(3)}`,
    () => `${rng.digits(3)} ${rng.characters(3, UPPER)}`,
    () => `${rng.digits(1)}${rng.characters(1, UPPER)}${rng.digits(2)}${rng.characters(2, UPPER)}`,
  ])();
}

/** A payment card number (Visa or Mastercard prefix) with a valid Luhn digit. */
export function cardNumber(rng: SeededRandom): string {
  const body = `${rng.pick(['4', '51', '53', '55'])}`;
  const digits = `${body}${rng.digits(15 - body.length)}`;
  return `${digits}${luhnCheckDigit(digits)}`;
}

export function ipv4(rng: SeededRandom): string {
  const octet = () => rng.int(1, 254);
  if (rng.chance(0.15)) return rng.pick([`10.${octet()}.${octet()}.${octet()}`, `192.168.${octet()}.${octet()}`]);
  const first = rng.pick([24, 47, 50, 64, 66, 67, 68, 69, 71, 73, 75, 76, 96, 98, 99, 107, 108, 173, 174, 184, 198]);
  return `${first}.${rng.int(0, 255)}.${rng.int(0, 255)}.${octet()}`;
}

export function ipv6(rng: SeededRandom): string {
  const group = () => rng.int(0, 0xffff).toString(16);
  return rng.chance(0.5)
    ? `${rng.pick(['2600', '2601', '2602', '2603', '2605', '2607', '2a02'])}:${group()}:${group()}:${group()}:${group()}:${group()}:${group()}:${group()}`
    : `${rng.pick(['2600', '2601', '2607', '2001'])}:${group()}:${group()}::${group()}`;
}

export function upperLetters(rng: SeededRandom, count: number): string {
  return rng.characters(count, UPPER);
}

export function alphanumeric(rng: SeededRandom, count: number): string {
  return rng.characters(count, ALNUM);
}
