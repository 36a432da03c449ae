// Realises the identifier cue table: one scan finds any label, then the value after it is read and checked.
import type { PhiType } from '../../../phi/phi-types.ts';
import { IDENTIFIER_CUES } from './identifier-cues.ts';
import { isCommonWord } from './name-word-class.ts';
import type { PhiRule, SpanSink } from './phi-rule.ts';

/** One alternation, one capture group per cue; a label must not run on into a longer word ("IDEA", "pidgin"). */
const LABELS = new RegExp(`\\b(?:${IDENTIFIER_CUES.map((c) => `(${c.label})`).join('|')})(?![a-z])`, 'gi');

/**
 * After the label: separators and filler words ("MRN: 123", "Policy number is 123", "Member ID #: W123"), then the
 * value: letters, digits and inner - . / joining them, then more space-separated groups that contain a digit.
 */
const VALUE =
  /[ \t]{0,3}(?:[:#=]|-(?=\s))?[ \t]{0,3}\r?\n?[ \t]{0,3}(?:(?:(?:is|was|of|number|num|nbr)(?![A-Za-z])|no\.?(?![A-Za-z])|#|:)[ \t]{0,3}){0,3}@?([A-Za-z0-9](?:[A-Za-z0-9_]|[-./](?=[A-Za-z0-9])){0,39}(?:[ ](?:(?=[A-Za-z]{0,3}\d)[A-Za-z0-9]{2,12}|\d(?![ ]?[A-Za-z]))){0,11})/y;

const countDigits = (value: string): number => {
  let digits = 0;
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += 1;
  }
  return digits;
};

/** Quantities and ranges are not identifiers: "ID 500mg", "lot 10 mL", "age group 65-74". */
const QUANTITY = /^\d+(?:\.\d+)?(?:mg|mcg|ml|g|kg|units?|iu|%|mm|cm)$|^\d{1,3}-\d{1,3}$/i;
/** Letter-only values that are words, not user names or plates. */
const NOT_A_HANDLE = /^(?:is|was|the|and|or|not|none|unknown|pending|na|n\/a|yes|no)$/i;

function findCuedIdentifiers(text: string, report: SpanSink): void {
  LABELS.lastIndex = 0;
  for (let match = LABELS.exec(text); match !== null; match = LABELS.exec(text)) {
    const index = match.slice(1).findIndex((group) => group !== undefined);
    const cue = IDENTIFIER_CUES[index];
    if (cue === undefined) continue;
    VALUE.lastIndex = match.index + match[0].length;
    const found = VALUE.exec(text);
    const value = found?.[1];
    if (found === null || value === undefined) continue;
    if (value.length < cue.minLength || countDigits(value) < cue.minDigits) continue;
    if (QUANTITY.test(value) || NOT_A_HANDLE.test(value)) continue;
    if (cue.value !== undefined && !cue.value.test(value)) continue;
    // "lot expires 06/2025": a word before the number is prose, unless it is a short prefix ("ABC 123456").
    const head = value.split(' ')[0] ?? '';
    if (cue.minDigits > 0 && countDigits(head) === 0 && !/^[A-Z]{1,4}$/.test(head)) continue;
    // A user name needs four letters and is no English word ("login issues", "handle with care").
    if (cue.minDigits === 0 && /^[a-z]+$/.test(value) && (value.length < 4 || isCommonWord(value))) continue;
    const begin = found.index + found[0].length - value.length;
    report(begin, begin + value.length, cue.type as PhiType, cue.score);
    // Continue after the label, not the value: a value may itself hold the next label ("MRN 123 Acct 456").
  }
}

export const identifierCueRule: PhiRule = {
  name: 'labelled-identifiers',
  types: [...new Set(IDENTIFIER_CUES.map((cue) => cue.type))],
  find(input, report) {
    findCuedIdentifiers(input.text, report);
  },
};
