import { describe, expect, it } from 'vitest';
import { OfflineCodeInference } from '../../../../shared/adapters/local/offline-code-inference.ts';
import {
  CLAIMED_CODES_SOURCE_ID,
  DOCUMENTATION_SOURCE_ID,
  FINDINGS_SOURCE_ID,
  findingsText,
  readClaimedCodes,
} from '../../../../shared/drafts/use-cases/coding-review.ts';
import { DRAFT_USE_CASES, type DraftBuildContext } from '../../../../shared/drafts/use-cases/draft-use-cases.ts';
import { ValidationFailed } from '../../../../shared/errors/domain-errors.ts';
import type { CodeInference } from '../../../../shared/ports/code-inference.ts';

const spec = DRAFT_USE_CASES['coding-review'];
const context: DraftBuildContext = {
  caller: { userId: 'u-2', username: 'coder', roles: ['billing'], clientId: undefined, sourceIp: undefined },
  patientScope: 'patient-scope-1',
  searchKnowledge: async () => [],
};
const DOCUMENTATION =
  '[NAME_7Q2K9D] seen for poorly controlled type 2 diabetes and hypertension. Denies chest pain. Hyperlipidemia noted.';

describe('coding-review', () => {
  it('validates and normalises the claimed codes, and makes the documentation and the claim sources', async () => {
    const built = await spec.buildSources(
      { documentation: DOCUMENTATION, claimedCodes: { icd10cm: ['e119', 'R07.9'], cpt: ['99214'] } },
      context,
    );
    expect(built.sources).toEqual([
      { sourceId: DOCUMENTATION_SOURCE_ID, category: 'notes', text: DOCUMENTATION },
      {
        sourceId: CLAIMED_CODES_SOURCE_ID,
        category: 'billing',
        text: 'Claimed ICD-10-CM codes: E11.9, R07.9.\nClaimed CPT codes: 99214.',
      },
    ]);
    expect(readClaimedCodes(built.sources[1]?.text ?? '')).toEqual({ icd10cm: ['E11.9', 'R07.9'], cpt: ['99214'] });
  });

  it.each([
    ['a malformed ICD-10-CM code', { icd10cm: ['diabetes'], cpt: [] }],
    ['a malformed CPT code', { icd10cm: [], cpt: ['9921'] }],
    ['no code at all', { icd10cm: [], cpt: [] }],
  ])('rejects %s with INVALID_DRAFT_INPUT', async (_case, claimedCodes) => {
    const error = await spec.buildSources({ documentation: DOCUMENTATION, claimedCodes }, context).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).code).toBe('INVALID_DRAFT_INPUT');
    expect(JSON.stringify((error as ValidationFailed).details)).not.toContain('diabetes');
  });

  it('infers codes from the tokenized documentation only and adds the rule findings as one PHI-free source', async () => {
    const seen: string[] = [];
    const offline = new OfflineCodeInference();
    const spy: CodeInference = {
      name: offline.name,
      isStandIn: true,
      inferIcd10Cm: async (text) => {
        seen.push(text);
        return offline.inferIcd10Cm(text);
      },
    };
    const tokenized = [
      { sourceId: DOCUMENTATION_SOURCE_ID, category: 'notes' as const, text: DOCUMENTATION },
      {
        sourceId: CLAIMED_CODES_SOURCE_ID,
        category: 'billing' as const,
        text: 'Claimed ICD-10-CM codes: E11.9, R07.9.\nClaimed CPT codes: 99214.',
      },
    ];

    const added = await spec.enrich?.(tokenized, { codeInference: spy });

    expect(seen).toEqual([DOCUMENTATION]);
    expect(added).toHaveLength(1);
    const [source] = added ?? [];
    expect(source?.sourceId).toBe(FINDINGS_SOURCE_ID);
    expect(source?.text).not.toContain('[NAME_7Q2K9D]');
    const lines = source?.text.split('\n') ?? [];
    expect(lines).toContain(
      'Unsupported codes: claimed ICD-10-CM E11.9 (Type 2 diabetes mellitus without complications) is not documented; the documentation points to E11.65 instead (inference score 0.90).',
    );
    expect(lines).toContain(
      'Unsupported codes: claimed ICD-10-CM R07.9 (Chest pain, unspecified) is documented as absent (negated).',
    );
    expect(lines).toContain(
      'Possible under-coding: ICD-10-CM I10 (Essential (primary) hypertension) is documented (inference score 0.90) but no code of its category is claimed.',
    );
    expect(lines).toContain(
      'Documentation gaps: claimed CPT 99214 is not checked by code inference; the coder confirms the documented service and level.',
    );
    expect(source?.text).toContain('STAND-IN');
  });

  it('fails closed when the code inference fails', async () => {
    const failing: CodeInference = {
      name: 'broken',
      isStandIn: false,
      inferIcd10Cm: async () => {
        throw new Error('down');
      },
    };
    await expect(
      spec.enrich?.([{ sourceId: DOCUMENTATION_SOURCE_ID, category: 'notes', text: 'x' }], { codeInference: failing }),
    ).rejects.toThrow('down');
  });

  it('says the inference engine is not a stand-in when it is not, and lists none when nothing was inferred', () => {
    const text = findingsText([], [], { name: 'comprehend-medical-icd10cm', isStandIn: false });
    expect(text).toBe(
      'Rule findings for the certified coder:\n\nInferred codes by comprehend-medical-icd10cm:\n- none',
    );
  });

  it('renders the review as suggestions for a certified coder', () => {
    const text = spec.render({
      sections: [
        { heading: 'Supported codes', statements: [{ text: 'I10 documented.', evidence: [FINDINGS_SOURCE_ID] }] },
      ],
      unsupportedStatements: 0,
    });
    expect(text.split('\n')[0]).toContain('suggestions for a certified coder');
    expect(text).toContain('[evidence: coding/findings]');
  });
});
