/**
 * Compares the codes claimed for an encounter with the ICD-10-CM codes inferred from its documentation. Every
 * finding is a suggestion for a certified coder: nothing here changes a claim.
 */
import type { InferredCode } from '../ports/code-inference.ts';
import { icd10CmCategory, isMoreSpecific } from './code-formats.ts';
import { curatedDescription } from './primary-care-icd10cm.ts';

export interface ClaimedCodes {
  readonly icd10cm: readonly string[];
  readonly cpt: readonly string[];
}

export type FindingKind = 'supported' | 'unsupported' | 'under-coding' | 'documentation-gap';

export type FindingReason =
  /** The claimed code was inferred from the documentation. */
  | 'DOCUMENTED'
  /** The documentation supports a more specific code under the claimed one. */
  | 'DOCUMENTED_MORE_SPECIFICALLY'
  /** Nothing in the documentation points to the claimed code. */
  | 'NOT_DOCUMENTED'
  /** The condition is documented as absent ("denies chest pain"). */
  | 'DOCUMENTED_AS_ABSENT'
  /** Only another code of the same category is documented (e.g. E11.9 documented, E11.65 claimed). */
  | 'ONLY_RELATED_CODE_DOCUMENTED'
  /** A confidently documented condition has no claimed code in its category. */
  | 'NOT_CLAIMED'
  /** A more specific code than the claimed one is documented. */
  | 'MORE_SPECIFIC_CODE_DOCUMENTED'
  /** Another code of a claimed code's category is documented (e.g. E11.65 documented, E11.9 claimed). */
  | 'RELATED_CODE_DOCUMENTED'
  /** The code is an "unspecified" one: more detail in the note may allow a specific code. */
  | 'UNSPECIFIED_CODE'
  /** A condition was found only with low confidence: the note may need to state it clearly. */
  | 'LOW_CONFIDENCE'
  /** CPT codes are not inferred from text: the coder checks the documented service and its level. */
  | 'CPT_NOT_VERIFIED';

export interface CodingFinding {
  readonly kind: FindingKind;
  readonly reason: FindingReason;
  readonly system: 'ICD-10-CM' | 'CPT';
  readonly code: string;
  readonly description?: string;
  /** The inferred code the finding rests on, when another than `code`. */
  readonly relatedCode?: string;
  /** The inference's best score for the code the finding rests on. */
  readonly score?: number;
}

export interface CodingReviewOptions {
  /** Inferred codes at or above this score count as confidently documented (Comprehend Medical scores 0..1). */
  readonly confidentScore?: number;
}

export const DEFAULT_CONFIDENT_SCORE = 0.7;

/** The best (highest-scoring) mention per code, affirmed mentions and negated ones apart. */
function bestByCode(codes: readonly InferredCode[]): Map<string, InferredCode> {
  const best = new Map<string, InferredCode>();
  for (const code of codes) {
    const current = best.get(code.code);
    if (current === undefined || code.score > current.score) best.set(code.code, code);
  }
  return best;
}

function isUnspecified(description: string | undefined): boolean {
  return description !== undefined && /\bunspecified\b/i.test(description);
}

export function reviewClaimedCodes(
  claimed: ClaimedCodes,
  inferred: readonly InferredCode[],
  options: CodingReviewOptions = {},
): CodingFinding[] {
  const confident = options.confidentScore ?? DEFAULT_CONFIDENT_SCORE;
  const affirmed = bestByCode(inferred.filter((code) => !code.negated));
  const negated = bestByCode(inferred.filter((code) => code.negated));
  const claimedIcd = [...new Set(claimed.icd10cm)];
  const findings: CodingFinding[] = [];
  const describe = (code: string): string | undefined =>
    affirmed.get(code)?.description ?? negated.get(code)?.description ?? curatedDescription(code);

  for (const code of claimedIcd) {
    const description = describe(code);
    const exact = affirmed.get(code);
    const moreSpecific = [...affirmed.values()]
      .filter((found) => isMoreSpecific(found.code, code))
      .sort((a, b) => b.score - a.score)[0];
    const related = [...affirmed.values()]
      .filter((found) => icd10CmCategory(found.code) === icd10CmCategory(code) && found.code !== code)
      .sort((a, b) => b.score - a.score)[0];
    const base = { system: 'ICD-10-CM' as const, code, ...(description ? { description } : {}) };

    if (exact) {
      findings.push({ ...base, kind: 'supported', reason: 'DOCUMENTED', score: exact.score });
    } else if (moreSpecific) {
      findings.push({
        ...base,
        kind: 'supported',
        reason: 'DOCUMENTED_MORE_SPECIFICALLY',
        relatedCode: moreSpecific.code,
        score: moreSpecific.score,
      });
    } else if (negated.has(code)) {
      findings.push({ ...base, kind: 'unsupported', reason: 'DOCUMENTED_AS_ABSENT', score: negated.get(code)?.score });
    } else if (related) {
      findings.push({
        ...base,
        kind: 'unsupported',
        reason: 'ONLY_RELATED_CODE_DOCUMENTED',
        relatedCode: related.code,
        score: related.score,
      });
    } else {
      findings.push({ ...base, kind: 'unsupported', reason: 'NOT_DOCUMENTED' });
    }

    // A claimed code with a more specific documented child: the claim may under-state what was documented.
    if (moreSpecific && moreSpecific.score >= confident && !claimedIcd.includes(moreSpecific.code)) {
      findings.push({
        system: 'ICD-10-CM',
        kind: 'under-coding',
        reason: 'MORE_SPECIFIC_CODE_DOCUMENTED',
        code: moreSpecific.code,
        description: moreSpecific.description,
        relatedCode: code,
        score: moreSpecific.score,
      });
    }
    if (isUnspecified(description)) {
      findings.push({ ...base, kind: 'documentation-gap', reason: 'UNSPECIFIED_CODE' });
    }
  }

  const flagged = new Set(findings.filter((finding) => finding.kind === 'under-coding').map((finding) => finding.code));
  for (const found of affirmed.values()) {
    if (claimedIcd.includes(found.code) || flagged.has(found.code)) continue;
    const base = { system: 'ICD-10-CM' as const, code: found.code, description: found.description, score: found.score };
    const sameCategory = claimedIcd.find((code) => icd10CmCategory(code) === icd10CmCategory(found.code));
    if (found.score < confident) {
      findings.push({ ...base, kind: 'documentation-gap', reason: 'LOW_CONFIDENCE' });
    } else if (sameCategory !== undefined) {
      findings.push({ ...base, kind: 'under-coding', reason: 'RELATED_CODE_DOCUMENTED', relatedCode: sameCategory });
    } else {
      findings.push({ ...base, kind: 'under-coding', reason: 'NOT_CLAIMED' });
    }
  }

  for (const code of new Set(claimed.cpt)) {
    findings.push({ system: 'CPT', code, kind: 'documentation-gap', reason: 'CPT_NOT_VERIFIED' });
  }
  return findings;
}
