// Finds street addresses (number, street name, suffix, unit), PO boxes, highways, ZIP codes with a cue or in
// ZIP+4 form, counties, and the address components of HL7 fields.
import { FUNCTION_WORDS } from './name-lexicon.ts';
import type { PhiRule, SpanSink } from './phi-rule.ts';

const HOUSE = '\\d{1,6}(?:-\\d{1,6})?[A-Za-z]?';
const DIRECTION = '(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West|Northeast|Northwest|Southeast|Southwest)\\.?';
const STREET_WORD = "(?:[A-Za-z][A-Za-z'’.\\-]{0,24}|\\d{1,3}(?:st|nd|rd|th))";
/** Suffixes that are also everyday words ("View", "Run", "Point", "Pt" for patient) are left out on purpose. */
const SUFFIX =
  '(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Circle|Cir|Way|Place|Pl|Terrace|Terr|Ter|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Loop|Plaza|Plz|Pike|Turnpike|Tpke|Alley|Aly|Crescent|Cres|Path|Ridge|Rdg|Crossing|Xing|Expressway|Expy|Freeway|Fwy|Heights|Hts|Hollow|Landing|Meadows?|Park|Grove|Grv|Estates|Manor|Mews|Commons|Cove|Cv|Glen|Bend|Creek|Hill|Hills|Knoll|Vista|Village|Junction|Jct|Causeway|Row)';
const UNIT =
  '(?:,?[ \\t]{1,2}(?:Apt|Apartment|Unit|Suite|Ste|Bldg|Building|Fl|Floor|Rm|Room|Lot|Trlr|Spc|#)\\.?[ \\t]{0,2}#?[ \\t]{0,2}[A-Za-z0-9][A-Za-z0-9\\-]{0,5})?';

const STREET = new RegExp(
  `(?<![\\w#/.$\\-])(${HOUSE})[ \\t]{1,3}(?:${DIRECTION}[ \\t]{1,2})?(?:${STREET_WORD}[ \\t]{1,2}){0,3}${STREET_WORD}[ \\t]{1,2}(${SUFFIX})\\b\\.?(?:[ \\t]{1,2}${DIRECTION}(?![\\w]))?${UNIT}`,
  'gi',
);

/** Context that makes a lower-case street believable ("lives at 12 oak street"). */
const ADDRESS_CUE_BEFORE =
  /(?:\b(?:address|addr|lives?|living|resides?|residing|located|moved|home|staying|stays|house|apartment)\b[^.\n]{0,24}|\b(?:at|on)[ \t])$/i;

const isLowerWord = (word: string): boolean => /^[a-z]/.test(word);

function streetAccepted(text: string, match: RegExpExecArray): boolean {
  const house = match[1] ?? '';
  if (/^0+\b/.test(house)) return false;
  const words = match[0]
    .slice(house.length)
    .trim()
    .split(/[ \t]+/);
  const suffix = match[2] ?? '';
  // "CT" and "PT" in capitals are scans and therapy, unless the whole address is in capitals.
  if (suffix.length <= 3 && suffix === suffix.toUpperCase() && words.some((w) => /[a-z]/.test(w))) return false;
  if (!words.some(isLowerWord)) return true;
  if (words.some((w) => FUNCTION_WORDS.has(w.toLowerCase()))) return false;
  return ADDRESS_CUE_BEFORE.test(text.slice(Math.max(0, match.index - 40), match.index));
}

interface AddressPattern {
  readonly type: 'ADDRESS' | 'ZIP' | 'LOCATION';
  readonly regex: RegExp;
  readonly score: number;
  readonly group?: number;
  readonly accept?: (text: string, match: RegExpExecArray) => boolean;
}

const PATTERNS: readonly AddressPattern[] = [
  { type: 'ADDRESS', regex: STREET, score: 0.9, accept: streetAccepted },
  {
    type: 'ADDRESS',
    regex:
      /(?<![\w.-])\d{1,6}[ \t]{1,2}(?:(?:N|S|E|W)\.?[ \t])?(?:(?:State|US|U\.S\.|County|Co\.|Farm[ \t]to[ \t]Market|FM|Old)[ \t])?(?:Route|Rte|Highway|Hwy|Road|Rd|Interstate|I-)[ \t]?\d{1,4}[A-Z]?\b/g,
    score: 0.85,
  },
  {
    // A street named without a number: "lives on Elm Street", "off Route 9" is caught above
    type: 'ADDRESS',
    regex:
      /\b(?:on|at|off|near|of)[ \t]((?:[A-Z][a-z'’.-]{1,24}[ \t]){1,3}(?:Street|Avenue|Road|Boulevard|Drive|Lane|Court|Parkway|Highway|Place|Terrace|St\.|Ave\.|Rd\.|Blvd\.))/g,
    score: 0.6,
    group: 1,
  },
  {
    type: 'ADDRESS',
    regex: /\b(?:P\.?[ \t]?O\.?[ \t]?Box|Post[ \t]Office[ \t]Box|POB)[ \t]{0,2}#?[ \t]{0,2}\d{1,8}\b/gi,
    score: 0.95,
  },
  {
    type: 'ADDRESS',
    regex:
      /\b(?:Apt|Apartment|Suite|Ste|Unit|APT|SUITE|STE|UNIT|apt)\.?[ \t]{0,2}#?[ \t]{0,2}[A-Za-z]?\d{1,5}[A-Za-z]?\b/g,
    score: 0.7,
  },
  { type: 'ZIP', regex: /(?<![\w\-.])\d{5}-\d{4}(?![\w-])/g, score: 0.85 },
  {
    type: 'ZIP',
    regex: /\b(?:zip(?:[ \t]?code)?|postal[ \t]code)\b[ \t]{0,2}[:#]?[ \t]{0,2}(\d{5}(?:-\d{4})?)(?![\w-])/gi,
    score: 0.95,
    group: 1,
  },
  {
    // HL7 XAD: street^other^city^state^zip
    type: 'ZIP',
    regex: /\^[A-Z]{2}\^(\d{5}(?:-\d{4})?)(?=[\^|~\r\n]|$)/g,
    score: 0.9,
    group: 1,
  },
  {
    type: 'LOCATION',
    regex: /\^([A-Za-z][A-Za-z .'-]{1,40})\^[A-Z]{2}\^\d{5}/g,
    score: 0.9,
    group: 1,
  },
  {
    type: 'LOCATION',
    regex:
      /\b(?:(?:[A-Z][a-z'’.-]{1,24}[ \t]){0,2}[A-Z][a-z'’.-]{1,24}[ \t](?:County|Parish|Borough)|(?:[A-Z]{2,24}[ \t]){0,2}[A-Z]{2,24}[ \t](?:COUNTY|PARISH))\b/g,
    score: 0.85,
  },
];

/** "Lives In Cook County": drops leading words that are function words or sentence starts, keeps the last one. */
function countyStart(text: string, begin: number, end: number): number {
  const words = text.slice(begin, end).split(/[ \t]/);
  let offset = begin;
  for (let i = 0; i < words.length - 2; i += 1) {
    const word = words[i] ?? '';
    if (!FUNCTION_WORDS.has(word.toLowerCase()) && !/^(?:lives|living|resides|the|near|from|in)$/i.test(word)) break;
    offset += word.length + 1;
  }
  return offset;
}

function findAddresses(text: string, report: SpanSink): void {
  for (const pattern of PATTERNS) {
    const { regex } = pattern;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      if (pattern.accept && !pattern.accept(text, match)) continue;
      const value = pattern.group === undefined ? match[0] : match[pattern.group];
      if (value === undefined) continue;
      let begin = match.index + match[0].lastIndexOf(value);
      const end = begin + value.length;
      if (pattern.type === 'LOCATION' && pattern.group === undefined) begin = countyStart(text, begin, end);
      report(begin, end, pattern.type, pattern.score);
    }
  }
}

export const addressRule: PhiRule = {
  name: 'street-addresses-and-zip-codes',
  types: ['ADDRESS', 'ZIP', 'LOCATION'],
  find(input, report) {
    findAddresses(input.text, report);
  },
};
