import { describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../../bench/knowledge/hashing-embedder.ts';
import { SyntheticProtocols } from '../../../bench/knowledge/synthetic-protocols.ts';

describe('SyntheticProtocols', () => {
  const generate = (seed: string) =>
    new SyntheticProtocols({ seed, chunks: 230, chunksPerDocument: 50, longTailWords: 2_000 });

  it('produces exactly the requested chunks, grouped into documents, the same for the same seed', () => {
    const documents = [...generate('a').documents()];
    expect(documents.map((document) => document.length)).toEqual([50, 50, 50, 50, 30]);
    expect(documents).toEqual([...generate('a').documents()]);
    expect(documents).not.toEqual([...generate('b').documents()]);
    const chunks = documents.flat();
    expect(new Set(chunks.map((chunk) => chunk.chunkId)).size).toBe(230);
    for (const chunk of chunks) {
      const words = chunk.text.split(' ').length;
      expect(words).toBeGreaterThanOrEqual(150);
      expect(words).toBeLessThan(420);
      expect(chunk.headingPath[0]).toBe(chunk.title);
    }
  });

  it('writes staff questions', () => {
    const questions = generate('a').questions(20);
    expect(questions).toHaveLength(20);
    for (const question of questions) expect(question).toMatch(/^(What|Who|How|When) .+\?$/);
  });
});

describe('HashingEmbedder', () => {
  const embedder = new HashingEmbedder(256);

  it('is deterministic, unit length and labelled simulated', async () => {
    const [first, again] = await embedder.embed(['refill turnaround', 'refill turnaround']);
    expect(first).toEqual(again);
    expect(first?.length).toBe(256);
    expect(Math.hypot(...(first ?? []))).toBeCloseTo(1, 5);
    expect(embedder.name).toContain('simulated');
    expect(Math.hypot(...embedder.embedNow('the of and'))).toBe(0);
  });

  it('puts texts that share words and word parts closer than unrelated ones', () => {
    const cosine = (a: Float32Array, b: Float32Array) =>
      a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);
    const query = embedder.embedNow('who may authorize a refill');
    expect(cosine(query, embedder.embedNow('refill authorization rules'))).toBeGreaterThan(
      cosine(query, embedder.embedNow('vaccine refrigerator temperature')),
    );
  });
});
