// Finds identifiers by their format alone, without a label: SSNs, Medicare MBIs, DEA numbers, VINs, UDIs, card
// numbers, MAC addresses, and any other long number or digit-heavy code.
import type { PhiType } from '../../../phi/phi-types.ts';
import { NON_NAME_WORDS } from './name-lexicon.ts';
import { isCommonWord } from './name-word-class.ts';
import type { PhiRule, SpanSink } from './phi-rule.ts';
import { STATE_CODES } from './us-states.ts';

interface FormatPattern {
  readonly type: PhiType;
  readonly regex: RegExp;
  readonly score: number;
  /** Returns the score to report, or 0 to drop the match (failed checksum, clinical quantity). */
  readonly check?: (value: string, text: string, end: number) => number;
  readonly group?: number;
}

const digitsOf = (value: string): string => value.replace(/\D/g, '');

/** Luhn checksum, used by payment cards and (with the 80840 prefix) NPIs. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** DEA check digit: (d1 + d3 + d5 + 2 * (d2 + d4 + d6)) mod 10 equals d7. */
function deaValid(value: string): boolean {
  const d = value.slice(2).split('').map(Number);
  const [d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = -1] = d;
  return (d1 + d3 + d5 + 2 * (d2 + d4 + d6)) % 10 === d7;
}

const VIN_VALUES: Record<string, number> = Object.fromEntries(
  [...'ABCDEFGHJKLMNPRSTUVWXYZ'].map((c, i) => [
    c,
    [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9][i] ?? 0,
  ]),
);
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** North American VIN check digit (position 9); many real and all made-up VINs elsewhere fail it. */
function vinValid(vin: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const c = vin.charAt(i);
    const value = c >= '0' && c <= '9' ? Number(c) : (VIN_VALUES[c] ?? 0);
    sum += value * (VIN_WEIGHTS[i] ?? 0);
  }
  const check = sum % 11 === 10 ? 'X' : String(sum % 11);
  return vin.charAt(8) === check;
}

/** A number followed by a unit is a measurement ("1500000 copies/mL", "250000 platelets"). */
const UNIT_AFTER =
  /^\s{0,2}(?:copies|iu|units?|cells|\/|mg|mcg|ml|g|kg|lbs?|%|mm|cm|k\b|platelets|plt|cfu|ng|pg|mcl|ul|µl|mol|mmol|meq|x\s?10)/i;
/** A count of time after a number ("A1234567 12 weeks"): the number is not a suffix. */
const DURATION_AFTER = /^\s{0,2}(?:x|times|days?|weeks?|months?|years?|hours?|hrs?|min)\b/i;
/** Alphanumeric codes that are quantities, clinical codes or gene and variant names rather than identifiers. */
const NOT_AN_ID =
  /^(?:\d+(?:mg|mcg|ml|iu|units?|g|kg|mm|cm|hrs?|h|min|mins|x|s|th|st|nd|rd)|rs\d+|[A-Z]\d{2}(?:\.\d{1,4})?|\d{4,5}[A-Z]?)$/i;

/** "@mlopez" in a portal thread is a user name; "@home", "@hs" and "@baseline" are "at" in shorthand. */
function mentionScore(value: string): number {
  const handle = value.slice(1);
  if (/[\d_.]/.test(handle)) return 0.6;
  const key = handle.toLowerCase();
  return handle.length >= 4 && !isCommonWord(key) && !NON_NAME_WORDS.has(key) ? 0.5 : 0;
}

/** A plate holds a digit and five to eight characters ("142 ZFQ", "ABC 1234"); "2 L" and "3 MM" are quantities. */
function plateScore(value: string): number {
  const characters = value.replace(/[ -]/g, '');
  const digits = digitsOf(characters).length;
  return digits > 0 && characters.length >= 5 && characters.length <= 8 ? 0.85 : 0;
}

const PORTAL_MARKER = /^[ \t]{0,3}[([<][ \t]{0,2}(?:patient[ \t]{1,2})?(?:portal|app|mychart|mobile|secure|message)/i;

/** A sender handle holds a digit, or is followed by a portal marker and is no English word. */
function senderScore(value: string, text: string, end: number): number {
  if (/[\d_]/.test(value)) return 0.7;
  const marked = PORTAL_MARKER.test(text.slice(end, end + 24));
  return marked && !isCommonWord(value) && !NON_NAME_WORDS.has(value) ? 0.6 : 0;
}

const MBI_LETTER = '[AC-HJKMNP-RT-Y]';
const MBI_ALNUM = '[AC-HJKMNP-RT-Y0-9]';

const FORMATS: readonly FormatPattern[] = [
  { type: 'SSN', regex: /(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])/g, score: 0.95 },
  // Made-up SSNs in test data often break the SSA rules above; they are still SSN-shaped identifiers.
  { type: 'SSN', regex: /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g, score: 0.85 },
  { type: 'SSN', regex: /(?<![\w\- ])\d{3} \d{2} \d{4}(?![\w-]| \d)/g, score: 0.75 },
  { type: 'SSN', regex: /(?<![\w*•-])(?:[*Xx•]{3}[- ]?[*Xx•]{2}|[*•]{5})[- ]?\d{4}(?![\w-])/g, score: 0.8 },
  {
    // The last four digits with their cue: "SSN ending 1102", "last 4 of SSN: 1102", "SS# (last four) 1102"
    type: 'SSN',
    regex:
      /\b(?:(?:ssn|ss#|ss\s?no\.?|soc(?:ial)?(?:\s{1,2}sec(?:urity)?)?(?:\s{1,2}(?:number|no\.?|num|#))?)\s{0,2}#?\s{0,2}(?:\(?\s{0,2}last\s{1,2}(?:4|four)(?:\s{1,2}digits)?\s{0,2}\)?|ending(?:\s{1,2}(?:in|with))?|ends\s{1,2}(?:in|with))|last\s{1,2}(?:4|four)(?:\s{1,2}digits)?\s{1,2}(?:of\s{1,2}(?:(?:the|his|her|their|pt'?s|patient'?s)\s{1,2})?)?(?:ssn|ss#|social(?:\s{1,2}security)?(?:\s{1,2}(?:number|no\.?|#))?))\s{0,2}(?:[:#=-]\s{0,2})?(?:is\s{1,2})?\(?(\d{4})\)?(?![\w-])/gi,
    score: 0.9,
    group: 1,
  },
  {
    // A card or account by its last four: "card ending 5195", "Visa ending in 1234", "account ending ****0042"
    type: 'ACCOUNT',
    regex:
      /\b(?:card|visa|mastercard|amex|discover|debit|credit|account|acct)(?:\s{1,2}(?:card|account|number|no\.?|#|on\s{1,2}file))?\s{0,2}(?:ending|ends)(?:\s{1,2}(?:in|with))?\s{0,2}[:#]?\s{0,2}\(?((?:[*Xx•]{2,12}[- ]?)?\d{4})\)?(?![\w-])/gi,
    score: 0.85,
    group: 1,
  },
  // A masked card or account number: "****1234", "XXXX-XXXX-XXXX-1234".
  {
    type: 'ACCOUNT',
    regex: /[*Xx•]{4}[ -]?(?:[*Xx•]{4}[ -]?){0,2}\d{4}(?![\w-])/g,
    score: 0.7,
    check: (value, text, end) => (/[\w*•-]/.test(text.charAt(end - value.length - 1)) ? 0 : 0.7),
  },
  {
    // Plates written in groups after a plate or tag cue, the state code before them optional: "plate 142 ZFQ",
    // "tag OK OKN 540", "license plate TX ABC 1234". Upper case only, so "plate count" and "tag removed" stay prose.
    type: 'VEHICLE',
    regex: new RegExp(
      `\\b(?:[Pp]lates?|PLATES?|[Tt]ags?|TAGS?)(?:\\s{1,2}(?:#|[Nn]o\\.?|[Nn]umber))?\\s{0,2}[:#]?\\s{0,2}(?:(?:${[...STATE_CODES].join('|')})\\s{1,2})?([A-Z0-9]{1,4}[ -][A-Z0-9]{1,4}(?:[ -][A-Z0-9]{1,4})?)(?![\\w-])`,
      'g',
    ),
    score: 0.85,
    group: 1,
    check: (value) => plateScore(value),
  },
  {
    // A portal or app user name as a message sender: "From: mnasser37 (patient portal)"; "From: clinic" is prose.
    type: 'ID',
    regex: /\b(?:From|FROM|from):[ \t]{1,3}([a-z][a-z0-9._-]{1,30}[a-z0-9])(?![\w@]|[.-]\w)/g,
    score: 0.7,
    group: 1,
    check: (value, text, end) => senderScore(value, text, end),
  },
  {
    type: 'HEALTH_PLAN',
    regex: new RegExp(
      `(?<![\\w-])[1-9]${MBI_LETTER}${MBI_ALNUM}\\d-?${MBI_LETTER}${MBI_ALNUM}\\d-?${MBI_LETTER}{2}\\d{2}(?![\\w-])`,
      'g',
    ),
    score: 0.85,
  },
  {
    // Member numbers with a dependent suffix: "Y05746834 04", "XEH123456789 01"
    type: 'HEALTH_PLAN',
    regex: /(?<![\w-])[A-Z]{1,4}\d{6,12}[ -]\d{2}(?![\w./-])/g,
    score: 0.6,
    check: (_value, text, end) =>
      UNIT_AFTER.test(text.slice(end, end + 12)) || DURATION_AFTER.test(text.slice(end, end + 12)) ? 0 : 0.6,
  },
  // Legacy Medicare HICN: nine digits and a letter suffix.
  { type: 'HEALTH_PLAN', regex: /(?<![\w-])\d{9}[A-Z]\d?(?![\w-])/g, score: 0.7 },
  {
    type: 'LICENSE',
    regex: /(?<![\w-])[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}(?![\w-])/g,
    score: 0.9,
    check: (value) => (deaValid(value) ? 0.9 : 0.6),
  },
  {
    type: 'VEHICLE',
    regex: /(?<![\w-])[A-HJ-NPR-Z0-9]{17}(?![\w-])/g,
    score: 0.8,
    // Letters and digits both: seventeen digits are a long number, seventeen letters a word.
    check: (value) => (!/\d/.test(value) || !/[A-Z]/.test(value) ? 0 : vinValid(value) ? 0.95 : 0.8),
  },
  {
    // GS1 UDI in human-readable form, with or without spaces between its elements
    type: 'DEVICE',
    regex: /\(01\) ?\d{14}(?: ?\(\d{2,4}\) ?[A-Za-z0-9\-./]{1,20}){0,5}/g,
    score: 0.95,
  },
  {
    // HIBCC UDI: "+" then a labeler code (a letter and three characters), product, and up to four "/" parts
    type: 'DEVICE',
    regex: /(?<![\w+])\+[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}(?:\/[A-Z0-9$+%\-.]{1,40}){0,4}(?![\w/])/g,
    score: 0.85,
    check: (value) => (digitsOf(value).length >= 3 ? 0.85 : 0),
  },
  { type: 'DEVICE', regex: /(?<![\w:-])(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}(?![\w:-])/g, score: 0.8 },
  {
    // @mentions and handles: not an e-mail address (no word before the "@", no domain after the handle)
    type: 'ID',
    regex: /(?<![\w.@+-])@[A-Za-z][A-Za-z0-9_.-]{0,28}[A-Za-z0-9_](?![\w@]|\.[A-Za-z]{2,})/g,
    score: 0.5,
    check: (value) => mentionScore(value),
  },
  {
    type: 'ACCOUNT',
    regex: /(?<![\w-])(?:\d{4}[ -]){3}\d{4}(?:\d{3})?(?![\w-])|(?<![\w-])\d{4}[ -]\d{6}[ -]\d{5}(?![\w-])/g,
    score: 0.9,
    check: (value) => (luhnValid(digitsOf(value)) ? 0.9 : 0.6),
  },
  {
    // Any other long number: seven digits or more, alone (not a decimal, not a measurement).
    type: 'ID',
    regex: /(?<![\w.,\-/])\d{7,30}(?![\w,]|\.\d)/g,
    score: 0.5,
    check: (_value, text, end) => (UNIT_AFTER.test(text.slice(end, end + 12)) ? 0 : 0.5),
  },
  {
    // Codes mixing letters and five or more digits ("A12B34567", "XK-4418-2209"); not doses, ICD codes, rsIDs.
    type: 'ID',
    regex:
      /(?<![\w\-./])(?=(?:[A-Za-z-]{0,29}\d){5})(?=[\w-]{0,29}[A-Za-z])(?:[A-Za-z0-9]+-){0,4}[A-Za-z0-9]+(?![\w-]|\.\w)/g,
    score: 0.5,
    check: (value, text, end) => {
      if (value.length < 6 || value.length > 30) return 0;
      const digits = digitsOf(value).length;
      if (digits < 5 || NOT_AN_ID.test(value) || UNIT_AFTER.test(text.slice(end, end + 12))) return 0;
      return 0.5;
    },
  },
];

function findFormats(text: string, report: SpanSink): void {
  for (const format of FORMATS) {
    const { regex } = format;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      const value = format.group === undefined ? match[0] : match[format.group];
      if (value === undefined || value.length === 0) continue;
      const begin = match.index + match[0].lastIndexOf(value);
      const end = begin + value.length;
      const score = format.check ? format.check(value, text, end) : format.score;
      if (score > 0) report(begin, end, format.type, score);
    }
  }
}

export const identifierFormatRule: PhiRule = {
  name: 'identifier-formats',
  types: [...new Set(FORMATS.map((format) => format.type))],
  find(input, report) {
    findFormats(input.text, report);
  },
};
