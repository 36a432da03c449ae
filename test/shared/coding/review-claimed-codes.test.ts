import { describe, expect, it } from 'vitest';
import { reviewClaimedCodes } from '../../../shared/coding/review-claimed-codes.ts';
import type { InferredCode } from '../../../shared/ports/code-inference.ts';

const inferred = (code: string, description: string, score = 0.9, negated = false): InferredCode => ({
  code,
  description,
  score,
  text: description.toLowerCase(),
  negated,
});

const kinds = (findings: ReturnType<typeof reviewClaimedCodes>) =>
  findings.map(
    (finding) =>
      `${finding.kind}:${finding.reason}:${finding.code}${finding.relatedCode ? `>${finding.relatedCode}` : ''}`,
  );

describe('reviewClaimedCodes', () => {
  it('supports a claimed code the documentation names', () => {
    const findings = reviewClaimedCodes({ icd10cm: ['I10'], cpt: [] }, [
      inferred('I10', 'Essential (primary) hypertension'),
    ]);
    expect(kinds(findings)).toEqual(['supported:DOCUMENTED:I10']);
  });

  it('flags a claimed code with nothing behind it as unsupported', () => {
    const findings = reviewClaimedCodes({ icd10cm: ['J45.909'], cpt: [] }, [inferred('I10', 'Essential hypertension')]);
    expect(kinds(findings)).toContain('unsupported:NOT_DOCUMENTED:J45.909');
  });

  it('treats a negated mention as evidence against, never for, a claimed code', () => {
    const findings = reviewClaimedCodes({ icd10cm: ['R07.9'], cpt: [] }, [
      inferred('R07.9', 'Chest pain, unspecified', 0.95, true),
    ]);
    expect(kinds(findings)).toEqual([
      'unsupported:DOCUMENTED_AS_ABSENT:R07.9',
      'documentation-gap:UNSPECIFIED_CODE:R07.9',
    ]);
  });

  it('ignores negated conditions that nobody claimed', () => {
    expect(reviewClaimedCodes({ icd10cm: [], cpt: [] }, [inferred('R50.9', 'Fever, unspecified', 0.9, true)])).toEqual(
      [],
    );
  });

  it('suggests confidently documented conditions that are not claimed as possible under-coding', () => {
    const findings = reviewClaimedCodes({ icd10cm: ['I10'], cpt: [] }, [
      inferred('I10', 'Essential (primary) hypertension'),
      inferred('E78.5', 'Hyperlipidemia, unspecified', 0.85),
    ]);
    expect(kinds(findings)).toContain('under-coding:NOT_CLAIMED:E78.5');
  });

  it('suggests a documented more specific code under a claimed one', () => {
    const findings = reviewClaimedCodes({ icd10cm: ['E11'], cpt: [] }, [
      inferred('E11.65', 'Type 2 diabetes mellitus with hyperglycemia'),
    ]);
    expect(kinds(findings)).toEqual([
      'supported:DOCUMENTED_MORE_SPECIFICALLY:E11>E11.65',
      'under-coding:MORE_SPECIFIC_CODE_DOCUMENTED:E11.65>E11',
    ]);
  });

  it('flags a sibling documented in place of the claimed code both ways', () => {
    const findings = reviewClaimedCodes({ icd10cm: ['E11.9'], cpt: [] }, [
      inferred('E11.65', 'Type 2 diabetes mellitus with hyperglycemia'),
    ]);
    expect(kinds(findings)).toEqual([
      'unsupported:ONLY_RELATED_CODE_DOCUMENTED:E11.9>E11.65',
      'under-coding:RELATED_CODE_DOCUMENTED:E11.65>E11.9',
    ]);
  });

  it('marks unspecified claimed codes and low-confidence findings as documentation gaps', () => {
    const findings = reviewClaimedCodes(
      { icd10cm: ['M54.50'], cpt: [] },
      [inferred('M54.50', 'Low back pain, unspecified'), inferred('M54.16', 'Radiculopathy, lumbar region', 0.4)],
      { confidentScore: 0.7 },
    );
    expect(kinds(findings)).toEqual([
      'supported:DOCUMENTED:M54.50',
      'documentation-gap:UNSPECIFIED_CODE:M54.50',
      'documentation-gap:LOW_CONFIDENCE:M54.16',
    ]);
  });

  it('leaves CPT codes to the coder and reports each claimed code once', () => {
    const findings = reviewClaimedCodes({ icd10cm: ['I10', 'I10'], cpt: ['99213', '99213'] }, [
      inferred('I10', 'Hypertension'),
    ]);
    expect(kinds(findings)).toEqual(['supported:DOCUMENTED:I10', 'documentation-gap:CPT_NOT_VERIFIED:99213']);
  });

  it('describes a claimed code from the curated table when inference did not name it', () => {
    const [finding] = reviewClaimedCodes({ icd10cm: ['J45.909'], cpt: [] }, []);
    expect(finding?.description).toBe('Unspecified asthma, uncomplicated');
  });
});
