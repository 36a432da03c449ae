import { describe, expect, it } from 'vitest';
import { InMemoryVectorIndex } from '../../../../shared/adapters/local/in-memory-vector-index.ts';
import { chunk } from '../../knowledge/knowledge-fakes.ts';

const vector = (...values: number[]) => Float32Array.from(values);
const everyone = { audiences: ['staff', 'public'] as ('staff' | 'public')[] };

describe('InMemoryVectorIndex', () => {
  const east = chunk({ documentId: 'a', ordinal: 0 });
  const northEast = chunk({ documentId: 'a', ordinal: 1 });
  const north = chunk({ documentId: 'b', ordinal: 0, audience: 'public' });

  function filled() {
    const index = new InMemoryVectorIndex(2);
    index.upsert([
      { chunk: east, vector: vector(10, 0) },
      { chunk: northEast, vector: vector(1, 1) },
      { chunk: north, vector: vector(0, 3) },
    ]);
    return index;
  }

  it('returns chunks in order of cosine similarity, whatever the vector lengths', () => {
    const hits = filled().search(vector(2, 1), 3, everyone);
    expect(hits.map((hit) => hit.chunk)).toEqual([northEast, east, north]);
    expect(hits.map((hit) => hit.vectorRank)).toEqual([1, 2, 3]);
    expect(hits[0]?.score).toBeCloseTo(3 / Math.sqrt(10), 6);
    expect(hits[1]?.score).toBeCloseTo(2 / Math.sqrt(5), 6);
    expect(hits[2]?.score).toBeCloseTo(1 / Math.sqrt(5), 6);
  });

  it('respects the limit and the audience filter', () => {
    const index = filled();
    expect(index.search(vector(0, 1), 1, everyone).map((hit) => hit.chunk)).toEqual([north]);
    expect(index.search(vector(0, 1), 5, { audiences: ['staff'] }).map((hit) => hit.chunk)).toEqual([northEast, east]);
    expect(index.search(vector(0, 1), 5, { audiences: [] })).toEqual([]);
    expect(index.search(vector(0, 0), 5, everyone)).toEqual([]);
  });

  it('replaces a document’s chunks on upsert and forgets a removed document', () => {
    const index = filled();
    const replacement = chunk({ documentId: 'a', ordinal: 0, chunkId: 'a:new' });
    index.upsert([{ chunk: replacement, vector: vector(-1, 0) }]);
    expect(index.size).toBe(2);
    expect(index.search(vector(-1, 0), 5, everyone).map((hit) => hit.chunk)).toEqual([replacement, north]);
    index.removeDocument('b');
    expect(index.size).toBe(1);
    expect(index.entry(north.chunkId)).toBeUndefined();
    expect(index.entry('a:new')?.vector).toEqual(vector(-1, 0));
  });

  it('grows past its initial capacity and reuses freed slots', () => {
    const index = new InMemoryVectorIndex(3);
    const angle = (ordinal: number) => (ordinal / 600) * (Math.PI / 2);
    const many = Array.from({ length: 600 }, (_, ordinal) => ({
      chunk: chunk({ documentId: 'bulk', ordinal }),
      vector: vector(Math.cos(angle(ordinal)), Math.sin(angle(ordinal)), 0),
    }));
    index.upsert(many);
    expect(index.size).toBe(600);
    const query = vector(Math.cos(angle(599)), Math.sin(angle(599)), 0);
    expect(index.search(query, 2, everyone).map((hit) => hit.chunk.ordinal)).toEqual([599, 598]);
    index.upsert(many.slice(0, 10));
    expect(index.size).toBe(10);
  });

  it('scores exactly the cosine similarity for any dimension, unrolled part and remainder alike', () => {
    for (const dimensions of [1, 4, 7, 512]) {
      const index = new InMemoryVectorIndex(dimensions);
      const seeded = (seed: number) =>
        Float32Array.from({ length: dimensions }, (_, at) => Math.sin(seed * 7 + at * 3));
      const entries = Array.from({ length: 20 }, (_, ordinal) => ({
        chunk: chunk({ documentId: 'random', ordinal }),
        vector: seeded(ordinal + 1),
      }));
      index.upsert(entries);
      const query = seeded(99);
      const cosine = (a: Float32Array, b: Float32Array) =>
        a.reduce((sum, value, at) => sum + value * (b[at] ?? 0), 0) / (Math.hypot(...a) * Math.hypot(...b));
      const expected = entries
        .map((entry) => ({ ordinal: entry.chunk.ordinal, score: cosine(entry.vector, query) }))
        .sort((x, y) => y.score - x.score);
      const hits = index.search(query, 20, everyone);
      expect(hits.map((found) => found.chunk.ordinal)).toEqual(expected.map((entry) => entry.ordinal));
      for (const [at, found] of hits.entries()) expect(found.score).toBeCloseTo(expected[at]?.score ?? 2, 4);
    }
  });

  it('rejects vectors of the wrong dimension without changing anything', () => {
    const index = filled();
    expect(() => index.upsert([{ chunk: chunk({ documentId: 'a', ordinal: 5 }), vector: vector(1, 2, 3) }])).toThrow(
      RangeError,
    );
    expect(index.size).toBe(3);
    expect(() => index.search(vector(1), 1, everyone)).toThrow(RangeError);
    expect(() => new InMemoryVectorIndex(0)).toThrow(RangeError);
  });
});
