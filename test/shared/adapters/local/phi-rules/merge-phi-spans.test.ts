import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergePhiSpans, TYPE_SPECIFICITY } from '../../../../../shared/adapters/local/phi-rules/merge-phi-spans.ts';
import { PHI_TYPES, type PhiSpan, type PhiType } from '../../../../../shared/phi/phi-types.ts';

const span = (begin: number, end: number, type: PhiType, score = 0.5): PhiSpan => ({ begin, end, type, score });
const text = 'x'.repeat(100);

describe('mergePhiSpans', () => {
  it('sorts spans by begin', () => {
    expect(mergePhiSpans(text, [span(20, 25, 'DATE'), span(1, 4, 'NAME')]).map((s) => s.begin)).toEqual([1, 20]);
  });

  it('keeps the wider span when one contains another', () => {
    expect(mergePhiSpans(text, [span(10, 12, 'NAME', 0.9), span(5, 30, 'ADDRESS', 0.6)])).toEqual([
      span(5, 30, 'ADDRESS', 0.9),
    ]);
  });

  it('covers both spans of a partial overlap, named by the wider one', () => {
    expect(mergePhiSpans(text, [span(0, 10, 'NAME'), span(5, 30, 'FACILITY')])).toEqual([span(0, 30, 'FACILITY')]);
  });

  it('prefers the more specific type when two spans are equally wide', () => {
    expect(mergePhiSpans(text, [span(3, 12, 'ID', 0.9), span(3, 12, 'SSN', 0.8)])).toEqual([span(3, 12, 'SSN', 0.9)]);
    expect(mergePhiSpans(text, [span(3, 12, 'PHONE'), span(3, 12, 'LICENSE')])[0]?.type).toBe('LICENSE');
  });

  it('leaves touching spans apart', () => {
    expect(mergePhiSpans(text, [span(0, 5, 'NAME'), span(5, 9, 'NAME')])).toHaveLength(2);
  });

  it('trims whitespace and punctuation at the edges but keeps a bracket with its partner', () => {
    const phone = ' (217) 555-0143, ';
    expect(mergePhiSpans(phone, [span(0, phone.length, 'PHONE')])).toEqual([span(1, 15, 'PHONE')]);
    const initial = 'Smith, J. ';
    expect(mergePhiSpans(initial, [span(0, 10, 'NAME')])).toEqual([span(0, 9, 'NAME')]);
    const sentence = 'on 3/14/2024.';
    expect(mergePhiSpans(sentence, [span(3, 13, 'DATE')])).toEqual([span(3, 12, 'DATE')]);
  });

  it('keeps the asterisks that mask the digits of an identifier but trims those of emphasis', () => {
    const masked = 'SSN ***-**-1102';
    expect(mergePhiSpans(masked, [span(4, 15, 'SSN')])).toEqual([span(4, 15, 'SSN')]);
    const bold = '**Maria**';
    expect(mergePhiSpans(bold, [span(0, 9, 'NAME')])).toEqual([span(2, 7, 'NAME')]);
  });

  it('drops spans that are empty after trimming or fall outside the text', () => {
    expect(mergePhiSpans('a , b', [span(1, 3, 'NAME'), span(7, 9, 'NAME')])).toEqual([]);
  });

  it('ranks every PHI type', () => {
    expect([...TYPE_SPECIFICITY].sort()).toEqual([...PHI_TYPES].sort());
  });

  it('returns sorted, disjoint spans that cover every input span', () => {
    const candidate = fc
      .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 20 }), fc.constantFrom(...PHI_TYPES))
      .map(([begin, width, type]) => span(begin, Math.min(100, begin + width), type));
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 30 }), (candidates) => {
        const merged = mergePhiSpans(text, candidates);
        for (let i = 1; i < merged.length; i += 1) {
          expect(merged[i]?.begin).toBeGreaterThanOrEqual(merged[i - 1]?.end ?? 0);
        }
        for (const c of candidates) {
          expect(merged.some((m) => m.begin <= c.begin && m.end >= c.end)).toBe(true);
        }
      }),
    );
  });
});
