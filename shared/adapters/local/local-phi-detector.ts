// Rule-based PHI detector that runs in process with no network: regex passes for formatted identifiers and a
// dictionary pass for names and places, covering the 18 Safe Harbor categories of 45 CFR 164.514(b)(2).
import type { PhiSpan, PhiType } from '../../phi/phi-types.ts';
import type { PhiDetector } from '../../ports/phi-detector.ts';
import { addressRule } from './phi-rules/address-rule.ts';
import { ageRule } from './phi-rules/age-rule.ts';
import { cityRule } from './phi-rules/city-rule.ts';
import { dateRule } from './phi-rules/date-rule.ts';
import { emailRule } from './phi-rules/email-rule.ts';
import { facilityRule } from './phi-rules/facility-rule.ts';
import { identifierCueRule } from './phi-rules/identifier-cue-rule.ts';
import { identifierFormatRule } from './phi-rules/identifier-format-rule.ts';
import { ipAddressRule } from './phi-rules/ip-address-rule.ts';
import { mergePhiSpans } from './phi-rules/merge-phi-spans.ts';
import { nameRule } from './phi-rules/name-rule.ts';
import type { PhiRule, RuleInput } from './phi-rules/phi-rule.ts';
import { phoneRule } from './phi-rules/phone-rule.ts';
import { professionRule } from './phi-rules/profession-rule.ts';
import { structuredRecordRule } from './phi-rules/structured-record-rule.ts';
import { urlRule } from './phi-rules/url-rule.ts';
import { tokenizeWords, type WordTokens } from './phi-rules/word-tokens.ts';

/** Every rule, in no particular order: the merge decides between overlapping findings. */
export const LOCAL_PHI_RULES: readonly PhiRule[] = [
  emailRule,
  urlRule,
  ipAddressRule,
  phoneRule,
  identifierCueRule,
  identifierFormatRule,
  dateRule,
  ageRule,
  addressRule,
  cityRule,
  facilityRule,
  nameRule,
  professionRule,
  structuredRecordRule,
];

export interface LocalPhiDetectorOptions {
  /** Categories to report; all of them when omitted. Rules that can report none of these are not run. */
  readonly types?: readonly PhiType[];
  /** Spans scoring below this are dropped (default 0: every candidate is redacted, since recall matters most). */
  readonly minScore?: number;
}

const DETECTOR_NAME = 'local-rules';

export class LocalPhiDetector implements PhiDetector {
  readonly name = DETECTOR_NAME;
  private readonly rules: readonly PhiRule[];
  private readonly types: ReadonlySet<PhiType> | undefined;
  private readonly minScore: number;

  constructor(options: LocalPhiDetectorOptions = {}) {
    const types = options.types === undefined ? undefined : new Set(options.types);
    this.types = types;
    this.rules =
      types === undefined ? LOCAL_PHI_RULES : LOCAL_PHI_RULES.filter((r) => r.types.some((t) => types.has(t)));
    this.minScore = options.minScore ?? 0;
  }

  async detect(text: string, signal?: AbortSignal): Promise<PhiSpan[]> {
    signal?.throwIfAborted();
    const spans = this.detectSync(text);
    // The scan is synchronous; an abort that arrived meanwhile still wins, so the caller never half-trusts a result.
    signal?.throwIfAborted();
    return spans;
  }

  /** Synchronous form for the CLI and the benchmark, which scan large files. */
  detectSync(text: string): PhiSpan[] {
    if (typeof text !== 'string' || text.length === 0) return [];
    let words: WordTokens | undefined;
    const input: RuleInput = {
      text,
      words: () => {
        words ??= tokenizeWords(text);
        return words;
      },
    };
    const candidates: PhiSpan[] = [];
    const { types, minScore } = this;
    const report = (begin: number, end: number, type: PhiType, score: number): void => {
      if (end <= begin || score < minScore || (types !== undefined && !types.has(type))) return;
      candidates.push({ begin, end, type, score, detector: DETECTOR_NAME });
    };
    for (const rule of this.rules) rule.find(input, report);
    return mergePhiSpans(text, candidates);
  }
}
