// Turns the candidate spans of all rules into the port's output: sorted by begin, overlaps merged, edges trimmed.
import type { PhiSpan, PhiType } from '../../../phi/phi-types.ts';

/**
 * Most specific first: when two candidates cover exactly the same text, the earlier type here names it. Formats
 * with a checksum or a dedicated cue come before dictionary and catch-all types.
 */
export const TYPE_SPECIFICITY: readonly PhiType[] = [
  'SSN',
  'MRN',
  'HEALTH_PLAN',
  'ACCOUNT',
  'LICENSE',
  'VEHICLE',
  'DEVICE',
  'EMAIL',
  'URL',
  'IP_ADDRESS',
  'FAX',
  'PHONE',
  'DATE',
  'AGE',
  'ZIP',
  'ADDRESS',
  'LOCATION',
  'FACILITY',
  'NAME',
  'PROFESSION',
  'ID',
];

const RANK = new Map<PhiType, number>(TYPE_SPECIFICITY.map((type, index) => [type, index]));
const rank = (type: PhiType): number => RANK.get(type) ?? TYPE_SPECIFICITY.length;

/** Characters never worth redacting at the edge of a span. */
const EDGE = /[\s,;:!?"'`[\]{}<>|*]/;

/** Masked digits at the start of an identifier ("***-**-1102", "*****1102"). */
const MASKED = /^\*{2,5}[-\s]?\*{0,4}[-\s]?\d/;

/** A bracket at the edge belongs to the identifier only when its partner is inside ("(217) 555-0143"). */
function strayBracket(text: string, begin: number, end: number, at: number): boolean {
  const c = text.charAt(at);
  if (c === '(') return !text.slice(at + 1, end).includes(')');
  if (c === ')') return !text.slice(begin, at).includes('(');
  return false;
}

/** Shrinks a span past surrounding whitespace and punctuation; a trailing full stop goes unless it ends an initial. */
function trimmed(text: string, span: PhiSpan): PhiSpan | undefined {
  let { begin, end } = span;
  while (begin < end && (EDGE.test(text.charAt(begin)) || strayBracket(text, begin, end, begin))) {
    // "***-**-1102": asterisks that mask digits are part of the identifier, unlike the stars of "**bold**".
    if (text.charAt(begin) === '*' && MASKED.test(text.slice(begin, Math.min(end, begin + 8)))) break;
    begin += 1;
  }
  while (end > begin) {
    const last = text.charAt(end - 1);
    if (EDGE.test(last) || strayBracket(text, begin, end, end - 1)) end -= 1;
    else if (last === '.' && !/(?:^|[^A-Za-z])[A-Za-z]\.$/.test(text.slice(Math.max(begin, end - 3), end))) end -= 1;
    else break;
  }
  if (begin === span.begin && end === span.end) return span;
  return end > begin ? { ...span, begin, end } : undefined;
}

/**
 * Sorts and merges: overlapping spans become one covering both (a partial overlap must not leave a fragment of an
 * identifier behind), named by the widest original span, or on a width tie by the more specific type; the score is
 * the highest of the merged spans.
 */
export function mergePhiSpans(text: string, candidates: readonly PhiSpan[]): PhiSpan[] {
  const spans = candidates
    .filter((span) => Number.isInteger(span.begin) && Number.isInteger(span.end))
    .map((span) => ({ ...span, begin: Math.max(0, span.begin), end: Math.min(text.length, span.end) }))
    .map((span) => trimmed(text, span))
    .filter((span): span is PhiSpan => span !== undefined && span.end > span.begin)
    .sort((a, b) => a.begin - b.begin || b.end - a.end);

  const merged: PhiSpan[] = [];
  let current: PhiSpan | undefined;
  let widest: PhiSpan | undefined;
  for (const span of spans) {
    if (current === undefined || widest === undefined || span.begin >= current.end) {
      if (current !== undefined) merged.push(current);
      current = span;
      widest = span;
      continue;
    }
    const width = span.end - span.begin;
    const widestWidth = widest.end - widest.begin;
    if (width > widestWidth || (width === widestWidth && rank(span.type) < rank(widest.type))) widest = span;
    current = {
      begin: current.begin,
      end: Math.max(current.end, span.end),
      type: widest.type,
      score: Math.max(current.score, span.score),
      ...(current.detector === undefined ? {} : { detector: current.detector }),
    };
  }
  if (current !== undefined) merged.push(current);
  return merged;
}
