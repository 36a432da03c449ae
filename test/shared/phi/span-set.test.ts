import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PHI_TYPES, type PhiSpan } from '../../../shared/phi/phi-types.ts';
import { compareSpans, dedupeSpans, mergeSpans, sortSpans } from '../../../shared/phi/span-set.ts';

const arbitrarySpan: fc.Arbitrary<PhiSpan> = fc
  .record({
    begin: fc.nat({ max: 200 }),
    length: fc.nat({ max: 30 }),
    type: fc.constantFrom(...PHI_TYPES),
    score: fc.integer({ min: 0, max: 100 }).map((percent) => percent / 100),
    detector: fc.option(fc.constantFrom('comprehend-medical', 'rules', 'regex'), { nil: undefined }),
  })
  .map(({ begin, length, type, score, detector }) => ({
    begin,
    end: begin + length,
    type,
    score,
    ...(detector === undefined ? {} : { detector }),
  }));
const arbitrarySpans = fc.array(arbitrarySpan, { maxLength: 40 });
/** Spans and the same spans in another order. */
const arbitraryShuffledSpans = arbitrarySpans.chain((spans) =>
  fc.tuple(fc.constant(spans), fc.shuffledSubarray(spans, { minLength: spans.length, maxLength: spans.length })),
);

/** The set of indices the spans cover, as a sorted list. */
function coverage(spans: readonly PhiSpan[]): number[] {
  const covered = new Set<number>();
  for (const span of spans) for (let index = span.begin; index < span.end; index++) covered.add(index);
  return [...covered].sort((a, b) => a - b);
}

const span = (begin: number, end: number, type: PhiSpan['type'], score: number, detector?: string): PhiSpan => ({
  begin,
  end,
  type,
  score,
  ...(detector === undefined ? {} : { detector }),
});

describe('sortSpans', () => {
  it('orders by begin, then the wider span first, without touching its input', () => {
    const input = [span(5, 6, 'NAME', 0.5), span(0, 2, 'DATE', 0.5), span(0, 4, 'AGE', 0.5)];

    const sorted = sortSpans(input);

    expect(sorted.map((s) => [s.begin, s.end])).toEqual([
      [0, 4],
      [0, 2],
      [5, 6],
    ]);
    expect(input[0]?.begin).toBe(5);
  });

  it('returns the same order whatever the order of its input', () => {
    fc.assert(
      fc.property(arbitraryShuffledSpans, ([spans, shuffled]) => {
        expect(sortSpans(shuffled)).toEqual(sortSpans(spans));
      }),
    );
  });
});

describe('dedupeSpans', () => {
  it('removes identical spans and keeps ones that differ in any field', () => {
    const deduped = dedupeSpans([
      span(0, 4, 'NAME', 0.9, 'rules'),
      span(0, 4, 'NAME', 0.9, 'rules'),
      span(0, 4, 'NAME', 0.8, 'rules'),
      span(0, 4, 'NAME', 0.9, 'comprehend-medical'),
    ]);

    expect(deduped).toHaveLength(3);
  });

  it('leaves no two spans comparing equal', () => {
    fc.assert(
      fc.property(arbitrarySpans, (spans) => {
        const deduped = dedupeSpans([...spans, ...spans]);
        for (let i = 1; i < deduped.length; i++) {
          expect(compareSpans(deduped[i - 1] as PhiSpan, deduped[i] as PhiSpan)).toBeLessThan(0);
        }
        expect(coverage(deduped)).toEqual(coverage(spans));
      }),
    );
  });
});

describe('mergeSpans', () => {
  it('merges overlapping spans into their union with the highest score and the widest type', () => {
    const merged = mergeSpans([
      span(10, 20, 'NAME', 0.6, 'comprehend-medical'),
      span(15, 18, 'ID', 0.99, 'rules'),
      span(18, 25, 'DATE', 0.5, 'rules'),
    ]);

    expect(merged).toEqual([span(10, 25, 'NAME', 0.99, 'comprehend-medical+rules')]);
  });

  it('breaks a tie in width by score, then by type order', () => {
    expect(mergeSpans([span(0, 5, 'DATE', 0.4), span(0, 5, 'NAME', 0.7)])[0]?.type).toBe('NAME');
    expect(mergeSpans([span(0, 5, 'DATE', 0.7), span(0, 5, 'NAME', 0.7)])[0]?.type).toBe('NAME');
    expect(mergeSpans([span(0, 5, 'ZIP', 0.7), span(0, 5, 'DATE', 0.7)])[0]?.type).toBe('DATE');
  });

  it('keeps touching spans apart so each keeps its type', () => {
    const merged = mergeSpans([span(0, 4, 'NAME', 0.9), span(4, 8, 'DATE', 0.9)]);

    expect(merged.map((s) => s.type)).toEqual(['NAME', 'DATE']);
  });

  it('drops empty spans and refuses inverted ones', () => {
    expect(mergeSpans([span(3, 3, 'NAME', 1)])).toEqual([]);
    expect(() => mergeSpans([span(5, 3, 'NAME', 1)])).toThrow(RangeError);
    expect(() => mergeSpans([span(-1, 3, 'NAME', 1)])).toThrow(RangeError);
  });

  it('returns sorted, non-overlapping spans covering exactly the union of its input', () => {
    fc.assert(
      fc.property(arbitrarySpans, (spans) => {
        const merged = mergeSpans(spans);
        for (let i = 1; i < merged.length; i++) {
          const previous = merged[i - 1] as PhiSpan;
          const current = merged[i] as PhiSpan;
          expect(current.begin).toBeGreaterThanOrEqual(previous.end);
        }
        for (const s of merged) expect(s.end).toBeGreaterThan(s.begin);
        expect(coverage(merged)).toEqual(coverage(spans));
      }),
    );
  });

  it('keeps the highest score of the spans it merged', () => {
    fc.assert(
      fc.property(arbitrarySpans, (spans) => {
        for (const merged of mergeSpans(spans)) {
          const contributors = spans.filter((s) => s.begin < merged.end && s.end > merged.begin && s.end > s.begin);
          expect(merged.score).toBe(Math.max(...contributors.map((s) => s.score)));
        }
      }),
    );
  });

  it('is idempotent and ignores input order', () => {
    fc.assert(
      fc.property(arbitraryShuffledSpans, ([spans, shuffled]) => {
        const merged = mergeSpans(spans);
        expect(mergeSpans(merged)).toEqual(merged);
        expect(mergeSpans(shuffled)).toEqual(merged);
      }),
    );
  });
});
