import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COVERAGE_THRESHOLD,
  coveredLength,
  evaluateNote,
  type LabelledSpan,
  mergeIntervals,
  scoreNotes,
} from '../../bench/deid/deid-metrics.ts';
import { concatenateNotes, validSpans } from '../../bench/deid/detector-run.ts';
import { PHI_TYPES, type PhiSpan } from '../../shared/phi/phi-types.ts';

// "Maria Lopez seen 03/14/2024, call 217-555-0134"
const name: LabelledSpan = { begin: 0, end: 11, type: 'NAME' };
const date: LabelledSpan = { begin: 17, end: 27, type: 'DATE' };
const phone: LabelledSpan = { begin: 34, end: 46, type: 'PHONE' };
const gold = [name, date, phone];

describe('scoreNotes', () => {
  it('scores a perfect detection as 1.0 on every measure', () => {
    const scores = scoreNotes([{ gold, detected: gold }]);

    expect(scores).toMatchObject({ recall: 1, precision: 1, f1: 1, typeAwareRecall: 1, charRecall: 1 });
    expect(scores.perType.DATE).toEqual({ gold: 1, recall: 1, typeAwareRecall: 1 });
  });

  it('lowers recall by the share of gold entities missed, and precision not at all', () => {
    const scores = scoreNotes([{ gold, detected: [name, date] }]);

    expect(scores.recall).toBeCloseTo(2 / 3);
    expect(scores.precision).toBe(1);
    expect(scores.f1).toBeCloseTo((2 * (2 / 3)) / (1 + 2 / 3));
    expect(scores.perType.PHONE?.recall).toBe(0);
  });

  it('counts a type mix-up as found for type-agnostic recall but not for type-aware recall', () => {
    const scores = scoreNotes([{ gold, detected: [name, date, { ...phone, type: 'FAX' }] }]);

    expect(scores.recall).toBe(1);
    expect(scores.typeAwareRecall).toBeCloseTo(2 / 3);
    expect(scores.perType.PHONE).toEqual({ gold: 1, recall: 1, typeAwareRecall: 0 });
  });

  it('treats coverage under 90% of the characters as a miss and 90% or more as found', () => {
    const tenCharacters: LabelledSpan = { begin: 0, end: 10, type: 'NAME' };

    const under = scoreNotes([{ gold: [tenCharacters], detected: [{ begin: 0, end: 8, type: 'NAME' }] }]);
    const at = scoreNotes([{ gold: [tenCharacters], detected: [{ begin: 1, end: 10, type: 'NAME' }] }]);

    expect(COVERAGE_THRESHOLD).toBe(0.9);
    expect(under.recall).toBe(0);
    expect(under.charRecall).toBeCloseTo(0.8);
    expect(at.recall).toBe(1);
  });

  it('adds up coverage from several detected spans of different types', () => {
    const address: LabelledSpan = { begin: 0, end: 20, type: 'ADDRESS' };
    const detected: LabelledSpan[] = [
      { begin: 0, end: 4, type: 'ID' },
      { begin: 4, end: 20, type: 'ADDRESS' },
    ];

    const scores = scoreNotes([{ gold: [address], detected }]);

    expect(scores.recall).toBe(1);
    expect(scores.typeAwareRecall).toBe(0);
  });

  it('counts spurious spans against precision, and a span overhanging a gold entity as correct', () => {
    const detected: LabelledSpan[] = [
      ...gold,
      { begin: 12, end: 16, type: 'NAME' },
      { begin: 47, end: 50, type: 'ID' },
      { begin: 30, end: 40, type: 'PHONE' },
    ];

    const scores = scoreNotes([{ gold, detected }]);

    expect(scores.precision).toBeCloseTo(4 / 6);
    expect(scores.recall).toBe(1);
  });

  it('pools notes by entity, not by averaging note scores', () => {
    const scores = scoreNotes([
      { gold: [name], detected: [] },
      { gold, detected: gold },
    ]);

    expect(scores.recall).toBeCloseTo(3 / 4);
    expect(scores.goldEntities).toBe(4);
  });

  it('scores an empty note with no detections as nothing missed and nothing wrong', () => {
    expect(scoreNotes([{ gold: [], detected: [] }])).toMatchObject({ recall: 1, precision: 1, charRecall: 1 });
  });

  it('keeps every score in [0, 1] with type-aware recall never above recall', () => {
    const span = fc
      .tuple(fc.nat(200), fc.integer({ min: 1, max: 30 }), fc.constantFrom(...PHI_TYPES))
      .map(([begin, length, type]): LabelledSpan => ({ begin, end: begin + length, type }));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 12 }), fc.array(span, { maxLength: 12 }), (goldSpans, detected) => {
        const scores = scoreNotes([{ gold: goldSpans, detected }]);
        for (const value of [scores.recall, scores.precision, scores.f1, scores.typeAwareRecall, scores.charRecall]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
        expect(scores.typeAwareRecall).toBeLessThanOrEqual(scores.recall);
      }),
    );
  });
});

describe('evaluateNote', () => {
  it('returns exactly the gold entities it missed', () => {
    const { missed } = evaluateNote(gold, [date]);

    expect(missed).toEqual([name, phone]);
  });
});

describe('mergeIntervals and coveredLength', () => {
  it('merge overlapping and touching spans and measure the covered part of a range', () => {
    const merged = mergeIntervals([
      { begin: 10, end: 15 },
      { begin: 0, end: 4 },
      { begin: 3, end: 6 },
      { begin: 15, end: 18 },
      { begin: 30, end: 30 },
    ]);

    expect(merged).toEqual([
      [0, 6],
      [10, 18],
    ]);
    expect(coveredLength(2, 12, merged)).toBe(4 + 2);
    expect(coveredLength(20, 25, merged)).toBe(0);
  });
});

describe('validSpans', () => {
  it('drops spans outside the text, empty spans and unknown types, and counts them', () => {
    const spans = [
      { begin: 0, end: 4, type: 'NAME', score: 1 },
      { begin: 3, end: 3, type: 'NAME', score: 1 },
      { begin: 5, end: 99, type: 'DATE', score: 1 },
      { begin: 1, end: 2, type: 'PLANET', score: 1 },
    ] as unknown as PhiSpan[]; // the last one is deliberately outside PhiType

    expect(validSpans(spans, 10)).toEqual({ spans: [{ begin: 0, end: 4, type: 'NAME' }], invalid: 3 });
  });
});

describe('concatenateNotes', () => {
  it('joins notes to the requested size with every gold span still on its text', () => {
    const notes = [
      {
        id: 'a',
        kind: 'k',
        text: 'Seen by Ana Ruiz 😊 today',
        entities: [{ begin: 8, end: 16, type: 'NAME' as const }],
      },
      { id: 'b', kind: 'k', text: 'DOB 3/4/1950', entities: [{ begin: 4, end: 12, type: 'DATE' as const }] },
    ];

    const big = concatenateNotes(notes, 200);

    expect(Buffer.byteLength(big.text, 'utf8')).toBeGreaterThanOrEqual(200);
    const slices = big.entities.map((entity) => big.text.slice(entity.begin, entity.end));
    expect(new Set(slices)).toEqual(new Set(['Ana Ruiz', '3/4/1950']));
  });
});
