import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuseRankings, RRF_K } from '../../../shared/knowledge/rank-fusion.ts';
import { chunk, hit } from './knowledge-fakes.ts';

const a = chunk({ ordinal: 0 });
const b = chunk({ ordinal: 1 });
const c = chunk({ ordinal: 2 });
const d = chunk({ ordinal: 3 });

describe('fuseRankings', () => {
  it('scores each chunk by the sum of 1 / (k + rank) over the lists it appears in', () => {
    const lexical = [hit(a, { lexicalRank: 1 }), hit(b, { lexicalRank: 2 }), hit(c, { lexicalRank: 3 })];
    const vector = [hit(c, { vectorRank: 1 }), hit(a, { vectorRank: 2 })];
    const fused = fuseRankings([lexical, vector]);
    expect(fused.map((entry) => entry.chunk.chunkId)).toEqual([a.chunkId, c.chunkId, b.chunkId]);
    expect(fused[0]?.score).toBeCloseTo(1 / (RRF_K + 1) + 1 / (RRF_K + 2), 12);
    expect(fused[1]?.score).toBeCloseTo(1 / (RRF_K + 3) + 1 / (RRF_K + 1), 12);
    expect(fused[2]?.score).toBeCloseTo(1 / (RRF_K + 2), 12);
  });

  it('keeps the lexical and vector ranks each hit had', () => {
    const fused = fuseRankings([[hit(a, { lexicalRank: 1 })], [hit(b, { vectorRank: 1 }), hit(a, { vectorRank: 2 })]]);
    expect(fused.find((entry) => entry.chunk === a)).toEqual({
      chunk: a,
      score: expect.any(Number),
      lexicalRank: 1,
      vectorRank: 2,
    });
    expect(fused.find((entry) => entry.chunk === b)).toEqual({ chunk: b, score: expect.any(Number), vectorRank: 1 });
  });

  it('uses k: a small k rewards the top rank of a single list more', () => {
    const lists = [
      [hit(a), hit(b)],
      [hit(c), hit(d), hit(b)],
    ];
    expect(fuseRankings(lists, 60)[0]?.chunk).toBe(b);
    expect(fuseRankings(lists, 0)[0]?.chunk).toBe(a);
  });

  it('breaks ties by the better single rank, then by chunk id, and counts a repeated chunk once per list', () => {
    const fused = fuseRankings([
      [hit(b), hit(a), hit(b)],
      [hit(a), hit(b)],
    ]);
    expect(fused.map((entry) => entry.chunk)).toEqual([a, b]);
    expect(fused[0]?.score).toBe(fused[1]?.score);
    expect(fuseRankings([[hit(d)], [hit(c)]]).map((entry) => entry.chunk)).toEqual([c, d]);
  });

  it('handles no lists, empty lists and rejects a negative k', () => {
    expect(fuseRankings([])).toEqual([]);
    expect(fuseRankings([[], []])).toEqual([]);
    expect(() => fuseRankings([[hit(a)]], -1)).toThrow(RangeError);
  });

  it('is pure: the inputs are unchanged and the result depends only on them', () => {
    const chunks = [a, b, c, d];
    const ranking = fc
      .uniqueArray(fc.integer({ min: 0, max: 3 }), { maxLength: 4 })
      .map((positions) => positions.map((position) => hit(chunks[position] ?? a, { lexicalRank: 1 })));
    fc.assert(
      fc.property(fc.array(ranking, { maxLength: 4 }), (rankings) => {
        const before = structuredClone(rankings);
        const first = fuseRankings(rankings);
        expect(rankings).toEqual(before);
        expect(fuseRankings(rankings)).toEqual(first);
        const distinct = new Set(rankings.flatMap((list) => list.map((entry) => entry.chunk.chunkId)));
        expect(first).toHaveLength(distinct.size);
        for (let index = 1; index < first.length; index++) {
          expect(first[index - 1]?.score ?? 0).toBeGreaterThanOrEqual(first[index]?.score ?? 0);
        }
      }),
    );
  });
});
