/**
 * CodeInference without a service: STAND-IN matching of a curated table of ~130 primary-care ICD-10-CM codes in the
 * text, with simple negation. Not a coding engine: it misses anything outside the table and any wording it does not
 * know; AWS uses Amazon Comprehend Medical InferICD10CM.
 */
import { PRIMARY_CARE_ICD10CM } from '../../coding/primary-care-icd10cm.ts';
import { type CodeInference, CodeInferenceFailed, type InferredCode } from '../../ports/code-inference.ts';

export const OFFLINE_CODE_INFERENCE_NAME = 'offline-table';
/** Every match is reported with this score: the stand-in has no notion of confidence. */
export const STAND_IN_SCORE = 0.9;

// A cue and the matched phrase must share a sentence and be at most this many words apart ("denies fever, cough or
// chills": the window reaches "chills").
const NEGATION_WINDOW_WORDS = 8;
const NEGATION_CUE =
  /\b(?:denies|denied|denying|no|not|negative for|without|free of|ruled out|rules out|absence of|resolved)\b/gi;
// Conditions of relatives are not the patient's: like Comprehend Medical's PERTAINS_TO_FAMILY, never reported.
const FAMILY_CUE =
  /\b(?:family history|fhx|(?:mother|father|sister|brother|parent|sibling|grandmother|grandfather)(?:'s)? (?:has|had|with|history))\b/gi;
// Words that end a negation's scope within a sentence ("no fever but has cough").
const SCOPE_END = /\b(?:but|however|although|except|though|yet)\b|[;:]/i;
const SENTENCE_END = /[.!?\n]/;

interface Matcher {
  readonly code: string;
  readonly description: string;
  readonly pattern: RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const MATCHERS: readonly Matcher[] = PRIMARY_CARE_ICD10CM.flatMap((entry) =>
  entry.synonyms.map((synonym) => ({
    code: entry.code,
    description: entry.description,
    pattern: new RegExp(`(?<![\\p{L}\\p{N}-])${escapeRegExp(synonym).replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}-])`, 'giu'),
  })),
);

interface Match {
  readonly begin: number;
  readonly end: number;
  readonly matcher: Matcher;
}

/** The text between the start of the match's sentence and the match. */
function leadIn(text: string, begin: number): string {
  let start = begin;
  while (start > 0 && !SENTENCE_END.test(text.charAt(start - 1))) start--;
  return text.slice(start, begin);
}

/** True when a cue sits before the match in its sentence, within the window, and no scope-ending word follows it. */
function cuedBefore(lead: string, cue: RegExp): boolean {
  for (const found of lead.matchAll(cue)) {
    const after = lead.slice((found.index ?? 0) + found[0].length);
    const words = after.split(/\s+/).filter((word) => word !== '').length;
    if (words <= NEGATION_WINDOW_WORDS && !SCOPE_END.test(after)) return true;
  }
  return false;
}

/** Every match, the longest kept where matches overlap ("type 2 diabetes with hyperglycemia" over "diabetes"). */
function longestMatches(text: string): Match[] {
  const all: Match[] = [];
  for (const matcher of MATCHERS) {
    for (const found of text.matchAll(matcher.pattern)) {
      const begin = found.index ?? 0;
      all.push({ begin, end: begin + found[0].length, matcher });
    }
  }
  all.sort((a, b) => b.end - b.begin - (a.end - a.begin) || a.begin - b.begin);
  const kept: Match[] = [];
  for (const match of all) {
    if (kept.every((other) => match.end <= other.begin || match.begin >= other.end)) kept.push(match);
  }
  return kept.sort((a, b) => a.begin - b.begin);
}

export class OfflineCodeInference implements CodeInference {
  readonly name = OFFLINE_CODE_INFERENCE_NAME;
  readonly isStandIn = true;

  async inferIcd10Cm(text: string, signal?: AbortSignal): Promise<readonly InferredCode[]> {
    if (signal?.aborted) throw new CodeInferenceFailed('ABORTED');
    const codes: InferredCode[] = [];
    for (const match of longestMatches(text)) {
      const lead = leadIn(text, match.begin);
      if (cuedBefore(lead, FAMILY_CUE)) continue;
      codes.push({
        code: match.matcher.code,
        description: match.matcher.description,
        score: STAND_IN_SCORE,
        text: text.slice(match.begin, match.end),
        negated: cuedBefore(lead, NEGATION_CUE),
      });
    }
    return codes;
  }
}
