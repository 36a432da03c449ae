import { describe, expect, it } from 'vitest';
import { InMemoryVectorIndex } from '../../../shared/adapters/local/in-memory-vector-index.ts';
import { HybridRetriever, passageText } from '../../../shared/knowledge/hybrid-retriever.ts';
import { Bm25Index } from '../../../shared/knowledge/lexical-index.ts';
import type { Embedder } from '../../../shared/ports/knowledge-store.ts';
import { chunk } from './knowledge-fakes.ts';

const everyone = { audiences: ['staff', 'public'] as ('staff' | 'public')[], queryIsPhiFree: true };

/** Embeds by topic: texts about cold storage and about medicines land on different axes, whatever the words. */
function topicEmbedder(options: { failOn?: (text: string) => boolean } = {}) {
  const embedded: string[] = [];
  const embedder = {
    name: 'topic-embedder',
    dimensions: 2,
    model: 'topic-embedder/2',
    embed: async (texts: readonly string[]) => {
      embedded.push(...texts);
      if (texts.some((text) => options.failOn?.(text))) throw new Error('embedding service down');
      return texts.map((text) =>
        /fridge|refrigerator|cold|vaccine/i.test(text) ? Float32Array.of(1, 0.1) : Float32Array.of(0.1, 1),
      );
    },
  } satisfies Embedder;
  return { embedder, embedded };
}

const refill = chunk({
  documentId: 'refills',
  ordinal: 0,
  text: 'Routine refills are completed within two business days.',
});
const fridge = chunk({
  documentId: 'vaccines',
  ordinal: 0,
  title: 'Vaccine storage',
  headingPath: ['Vaccine storage', 'Excursions'],
  text: 'If the refrigerator reads above 8 degrees, quarantine the stock.',
});

function hybrid(options: { failOn?: (text: string) => boolean } = {}) {
  const { embedder, embedded } = topicEmbedder(options);
  const retriever = new HybridRetriever({ vector: { embedder, index: new InMemoryVectorIndex(2) } });
  return { retriever, embedded };
}

describe('HybridRetriever', () => {
  it('is lexical only without an embedder, says so in its name, and ranks like BM25', async () => {
    const retriever = new HybridRetriever();
    const bm25 = new Bm25Index();
    await retriever.upsert([refill, fridge]);
    await bm25.upsert([refill, fridge]);
    expect(retriever.name).toBe('bm25 (lexical only)');
    expect(retriever.size).toBe(2);
    expect(await retriever.search('refills business days', 5, everyone)).toEqual(
      await bm25.search('refills business days', 5, everyone),
    );
  });

  it('names both sides when an embedder is configured', () => {
    expect(hybrid().retriever.name).toBe('bm25 + topic-embedder (reciprocal rank fusion)');
  });

  it('finds by meaning what the words miss, and fuses both rankings', async () => {
    const { retriever } = hybrid();
    await retriever.upsert([refill, fridge]);
    // No word of the query (nor a synonym the lexical side adds) is in the vaccine chunk; only vectors can find it.
    const [first, second] = await retriever.search('the cold box is too warm, which refills', 5, everyone);
    expect(first?.chunk).toEqual(refill);
    expect(first).toMatchObject({ lexicalRank: 1, vectorRank: 2 });
    expect(second?.chunk).toEqual(fridge);
    expect(second).toMatchObject({ vectorRank: 1 });
    expect(second?.lexicalRank).toBeUndefined();
  });

  it('embeds the chunk with its title and heading path, and does not embed unchanged chunks again', async () => {
    const { retriever, embedded } = hybrid();
    await retriever.upsert([refill, fridge]);
    expect(embedded).toEqual([passageText(refill), passageText(fridge)]);
    expect(passageText(fridge)).toBe(
      'Vaccine storage\nVaccine storage > Excursions\nIf the refrigerator reads above 8 degrees, quarantine the stock.',
    );
    const changed = { ...refill, chunkId: 'refills:changed', text: 'Routine refills take three days.' };
    await retriever.upsert([changed, fridge]);
    expect(embedded.slice(2)).toEqual([passageText(changed)]);
    expect(retriever.size).toBe(2);
    expect((await retriever.search('three days', 5, everyone))[0]?.chunk).toEqual(changed);
  });

  it('reuses a vector stored with the chunk by the same model, and re-embeds one made by another model', async () => {
    const { retriever, embedded } = hybrid();
    const stored = { model: 'topic-embedder/2', vector: Float32Array.of(1, 0.1) };
    const foreign = { model: 'other-embedder/2', vector: Float32Array.of(0.1, 1) };

    const attached = await retriever.embed([
      { ...fridge, embedding: stored },
      { ...refill, embedding: foreign },
    ]);

    expect(embedded).toEqual([passageText(refill)]);
    expect(attached[0]?.embedding).toBe(stored);
    expect(attached[1]?.embedding?.model).toBe('topic-embedder/2');
    await retriever.upsert(attached);
    expect(embedded).toHaveLength(1);
    const [hit] = await retriever.search('vaccine refrigerator', 1, everyone);
    expect(hit?.chunk).toEqual(fridge);
    expect(hit?.chunk).not.toHaveProperty('embedding');
  });

  it('never sends a query to the embedder unless it was scanned free of PHI', async () => {
    const { retriever, embedded } = hybrid();
    await retriever.upsert([refill, fridge]);
    const before = embedded.length;

    const hits = await retriever.search('vaccine refrigerator for Mrs. Roe', 5, { audiences: ['staff', 'public'] });

    expect(embedded).toHaveLength(before);
    expect(hits.every((hit) => hit.vectorRank === undefined)).toBe(true);
  });

  it('leaves both sides unchanged when embedding a new chunk fails', async () => {
    const { retriever } = hybrid({ failOn: (text) => text.includes('new text') });
    await retriever.upsert([refill]);
    await expect(retriever.upsert([{ ...refill, chunkId: 'refills:x', text: 'new text' }])).rejects.toThrow();
    expect(retriever.size).toBe(1);
    expect((await retriever.search('routine refills', 5, everyone))[0]?.chunk).toBe(refill);
  });

  it('answers from the lexical side alone when the query cannot be embedded', async () => {
    const { retriever } = hybrid({ failOn: (text) => text === 'vaccine refrigerator' });
    await retriever.upsert([refill, fridge]);
    const hits = await retriever.search('vaccine refrigerator', 5, everyone);
    expect(hits.map((hit) => hit.chunk)).toEqual([fridge]);
    expect(hits[0]?.vectorRank).toBeUndefined();
  });

  it('removes a document from both sides and honours the audience filter and limit', async () => {
    const { retriever } = hybrid();
    await retriever.upsert([refill, { ...fridge, audience: 'public' }]);
    expect(
      (await retriever.search('refrigerator refills', 5, { audiences: ['public'] })).map((hit) => hit.chunk.documentId),
    ).toEqual(['vaccines']);
    expect(await retriever.search('refrigerator refills', 1, everyone)).toHaveLength(1);
    expect(await retriever.search('refrigerator refills', 0, everyone)).toEqual([]);
    await retriever.removeDocument('vaccines');
    expect(retriever.size).toBe(1);
    expect((await retriever.search('fridge', 5, everyone)).map((hit) => hit.chunk.documentId)).toEqual(['refills']);
  });

  it('refuses a vector index whose dimensions differ from the embedder’s', () => {
    const { embedder } = topicEmbedder();
    expect(() => new HybridRetriever({ vector: { embedder, index: new InMemoryVectorIndex(3) } })).toThrow(RangeError);
  });
});
