// Finds telephone, fax and pager numbers in US and international formats, and names a number FAX when a fax cue
// is closer to it than a phone cue.
import type { PhiRule, SpanSink } from './phi-rule.ts';

const EXTENSION = '(?:\\s{0,2}(?:x|ext\\.?|extension)\\s{0,2}\\d{1,6})?';

interface PhonePattern {
  readonly regex: RegExp;
  readonly score: number;
  readonly accept?: (match: RegExpExecArray, text: string) => boolean;
}

/** A range or dose ("150-2000 mg") rather than a seven-digit number. */
const UNIT_AFTER = /^\s{0,2}(?:mg|mcg|ml|g|units?|iu|cells|copies|\/|%|mm|cc|kg|lbs?)\b/i;

const PHONE_PATTERNS: readonly PhonePattern[] = [
  {
    // (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567, +1 555 123 4567, 1-555-123-4567, 5551234567
    regex: new RegExp(
      `(?<![\\w+\\-/.])(?:\\+?1[ .\\-]{0,2})?(?:\\(\\d{3}\\)[ .\\-]{0,2}|\\d{3}[ .\\-]{0,2})\\d{3}[ .\\-]{0,2}\\d{4}${EXTENSION}(?![\\w\\-]|[./]\\d)`,
      'gi',
    ),
    score: 0.9,
  },
  {
    // +44 20 7946 0958 and other international numbers
    regex: new RegExp(
      `(?<![\\w+])\\+(?:[2-9]\\d{0,2})[\\s.\\-]{0,2}(?:\\(\\d{1,4}\\)[\\s.\\-]{0,2})?\\d{1,4}(?:[\\s.\\-]\\d{2,4}){2,4}${EXTENSION}(?![\\w\\-])`,
      'g',
    ),
    score: 0.85,
  },
  {
    // 555-1234: local numbers; exchange codes start 2-9, which excludes most ranges ("100-1200")
    regex: new RegExp(`(?<![\\w\\-/.])[2-9]\\d{2}-\\d{4}${EXTENSION}(?![\\w\\-]|[./]\\d)`, 'g'),
    score: 0.65,
    accept: (match, text) =>
      !UNIT_AFTER.test(text.slice(match.index + match[0].length, match.index + match[0].length + 8)),
  },
  {
    // pager 12345, beeper #4455, pgr: 7788
    regex: /\b(?:pager|beeper|pgr|bpr)\b\.?\s{0,2}[#:]?\s{0,2}(\d{4,10})\b/gi,
    score: 0.7,
  },
];

const FAX_CUE = /\b(?:fax|facsimile|fx|telefax)\b|\bF\s{0,2}[:#]|\(F\)/gi;
const PHONE_CUE =
  /\b(?:phone|tel|telephone|ph|cell|mobile|home|work|office|pager|call|contact|cb|callback)\b|\b[PTCHMW]\s{0,2}[:#]|\([PTCHMW]\)/gi;

/** Position of the last match of `cue` in `window`, or -1. */
function lastCue(cue: RegExp, window: string): number {
  let last = -1;
  cue.lastIndex = 0;
  for (let match = cue.exec(window); match !== null; match = cue.exec(window)) last = match.index;
  return last;
}

function hasPhoneCue(text: string, begin: number): boolean {
  const lineStart = Math.max(text.lastIndexOf('\n', begin - 1) + 1, begin - 30);
  return lastCue(PHONE_CUE, text.slice(lineStart, begin)) >= 0;
}

function isFax(text: string, begin: number, end: number): boolean {
  const lineStart = Math.max(text.lastIndexOf('\n', begin - 1) + 1, begin - 30);
  const before = text.slice(lineStart, begin);
  const fax = lastCue(FAX_CUE, before);
  if (fax >= 0 && fax >= lastCue(PHONE_CUE, before)) return true;
  return /^\s{0,2}(?:\(fax\)|fax\b)/i.test(text.slice(end, end + 8));
}

function findPhones(text: string, report: SpanSink): void {
  for (const pattern of PHONE_PATTERNS) {
    const { regex } = pattern;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      if (pattern.accept && !pattern.accept(match, text)) continue;
      const value = match[1] ?? match[0];
      const begin = match.index + match[0].lastIndexOf(value);
      const end = begin + value.length;
      if (isFax(text, begin, end)) report(begin, end, 'FAX', pattern.score);
      // Ten bare digits are as often a record number as a phone number: PHONE only with a phone cue before them.
      else if (/^1?\d{10}$/.test(value) && !hasPhoneCue(text, begin)) report(begin, end, 'ID', 0.6);
      else report(begin, end, 'PHONE', pattern.score);
    }
  }
}

export const phoneRule: PhiRule = {
  name: 'phone-and-fax',
  types: ['PHONE', 'FAX', 'ID'],
  find(input, report) {
    findPhones(input.text, report);
  },
};
