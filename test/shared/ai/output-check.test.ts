import { describe, expect, it } from 'vitest';
import { checkModelOutput } from '../../../shared/ai/output-check.ts';
import { SourceAliases } from '../../../shared/ai/source-aliases.ts';
import type { PhiSpan } from '../../../shared/phi/phi-types.ts';
import type { PhiDetector } from '../../../shared/ports/phi-detector.ts';

/** Phone numbers, SSNs and anything digit-bearing that looks like a record number: the shapes that matter here. */
const detector: PhiDetector = {
  name: 'fake',
  async detect(text) {
    const spans: PhiSpan[] = [];
    for (const match of text.matchAll(/\d{3}-\d{2}-\d{4}|\(?\d{3}\)?[ -]?\d{3}-\d{4}|\bMRN \d{5,}/g)) {
      const type = /^\d{3}-\d{2}-/.test(match[0]) ? 'SSN' : match[0].startsWith('MRN') ? 'ID' : 'PHONE';
      spans.push({ begin: match.index, end: match.index + match[0].length, type, score: 1 });
    }
    return spans;
  },
};

const numbered = new SourceAliases(
  ['1', '2', '3'].map((sourceId) => ({ sourceId, category: 'notes' as const, text: 'Cough.' })),
);

describe('checkModelOutput', () => {
  it.each([
    'Call back at 617-555-0199.',
    'SSN 123-45-6789 on file.',
    'Reach her at (617) 555-0123 (source: s1).',
    '{"sections": [{"heading": "Plan", "statements": [{"text": "SSN 123-45-6789", "evidence": ["s2"]}]}]}',
  ])('sources numbered 1..3 do not hide a phone number or SSN from the output check: %s', async (reply) => {
    const check = await checkModelOutput(reply, new Set(), detector, { citations: numbered.citations(reply) });
    expect(check.passed).toBe(false);
    expect(check.untokenizedTypes.length).toBeGreaterThan(0);
  });

  it('masks only the cited aliases: a reply whose citations a detector would flag still passes', async () => {
    // A detector that takes `s` followed by digits for a record number, as an over-eager one might.
    const eager: PhiDetector = {
      name: 'eager',
      detect: async (text) =>
        [...text.matchAll(/s\d+/g)].map((match) => ({
          begin: match.index,
          end: match.index + match[0].length,
          type: 'ID' as const,
          score: 1,
        })),
    };
    const cited = 'Rest (source: s1), fluids ["s2"].';
    expect((await checkModelOutput(cited, new Set(), eager, { citations: numbered.citations(cited) })).passed).toBe(
      true,
    );
    const bare = 'Rest, see s1.';
    expect((await checkModelOutput(bare, new Set(), eager, { citations: numbered.citations(bare) })).passed).toBe(
      false,
    );
  });

  it('masks a heading only as a whole word', async () => {
    const names: PhiDetector = {
      name: 'names',
      detect: async (text) =>
        [...text.matchAll(/Plan[a-z]*/g)].map((match) => ({
          begin: match.index,
          end: match.index + match[0].length,
          type: 'NAME' as const,
          score: 1,
        })),
    };
    expect((await checkModelOutput('{"heading": "Plan"}', new Set(), names, { headings: ['Plan'] })).passed).toBe(true);
    expect((await checkModelOutput('Seen by Planck.', new Set(), names, { headings: ['Plan'] })).passed).toBe(false);
  });

  it('counts tokens the request did not issue', async () => {
    const check = await checkModelOutput('[NAME_AB12CD] and [NAME_ZZZZZZ].', new Set(['[NAME_AB12CD]']), detector);
    expect(check).toEqual({ passed: false, untokenizedTypes: [], foreignTokenCount: 1 });
  });

  it('fails closed with 503 DEID_FAILED when the detector cannot run', async () => {
    const broken: PhiDetector = { name: 'broken', detect: () => Promise.reject(new Error('ThrottlingException')) };
    await expect(checkModelOutput('Rest.', new Set(), broken)).rejects.toMatchObject({
      code: 'DEID_FAILED',
      status: 503,
    });
  });
});
