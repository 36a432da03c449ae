import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OfflineCodeInference, STAND_IN_SCORE } from '../../../../shared/adapters/local/offline-code-inference.ts';
import { ICD10CM_PATTERN } from '../../../../shared/coding/code-formats.ts';
import { PRIMARY_CARE_ICD10CM } from '../../../../shared/coding/primary-care-icd10cm.ts';
import { CodeInferenceFailed } from '../../../../shared/ports/code-inference.ts';

const inference = new OfflineCodeInference();
const found = async (text: string) =>
  (await inference.inferIcd10Cm(text)).map((code) => `${code.code}${code.negated ? ' (negated)' : ''}`);

describe('OfflineCodeInference', () => {
  it('says it is a stand-in', () => {
    expect(inference.isStandIn).toBe(true);
    expect(inference.name).toBe('offline-table');
  });

  it('holds about a hundred well-formed, distinct primary-care codes', () => {
    const codes = PRIMARY_CARE_ICD10CM.map((entry) => entry.code);
    expect(codes.length).toBeGreaterThanOrEqual(100);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(ICD10CM_PATTERN);
  });

  it('finds conditions by their usual wording, as whole words, case-insensitively', async () => {
    expect(await found('Assessment: Essential hypertension and GERD. Plan: recheck.')).toEqual(['I10', 'K21.9']);
    expect(await found('Uses a heating pad; hypertensive urgency excluded by flu-like wording.')).toEqual([]);
  });

  it('prefers the longest, most specific match', async () => {
    const codes = await inference.inferIcd10Cm('Poorly controlled type 2 diabetes, A1c 9.1.');
    expect(codes).toEqual([
      {
        code: 'E11.65',
        description: 'Type 2 diabetes mellitus with hyperglycemia',
        score: STAND_IN_SCORE,
        text: 'Poorly controlled type 2 diabetes',
        negated: false,
      },
    ]);
  });

  it('marks conditions after a negation cue in the same sentence as negated', async () => {
    expect(await found('Denies chest pain, shortness of breath or fever. Has cough.')).toEqual([
      'R07.9 (negated)',
      'R06.02 (negated)',
      'R50.9 (negated)',
      'R05.9',
    ]);
    expect(await found('Negative for pneumonia on x-ray. No fever but has headache.')).toEqual([
      'J18.9 (negated)',
      'R50.9 (negated)',
      'R51.9',
    ]);
  });

  it("leaves out relatives' conditions", async () => {
    expect(await found('Family history of diabetes and hypertension. Mother has asthma. Patient has gout.')).toEqual([
      'M10.9',
    ]);
  });

  it('keeps vault tokens out of the way and fails closed when aborted', async () => {
    expect(await found('[NAME_7Q2K9D] reports migraine since [DATE_0M4C1T].')).toEqual(['G43.909']);
    const aborted = AbortSignal.abort();
    await expect(inference.inferIcd10Cm('asthma', aborted)).rejects.toBeInstanceOf(CodeInferenceFailed);
  });

  it('never throws and reports spans of the text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        for (const code of await inference.inferIcd10Cm(text)) expect(text).toContain(code.text);
      }),
    );
  });
});
