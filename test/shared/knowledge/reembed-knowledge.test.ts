import { describe, expect, it } from 'vitest';
import { InMemoryVectorIndex } from '../../../shared/adapters/local/in-memory-vector-index.ts';
import { Conflict } from '../../../shared/errors/domain-errors.ts';
import { HybridRetriever } from '../../../shared/knowledge/hybrid-retriever.ts';
import type { KnowledgeChunk } from '../../../shared/knowledge/knowledge-document.ts';
import { reembedKnowledge } from '../../../shared/knowledge/reembed-knowledge.ts';
import type { Embedder } from '../../../shared/ports/knowledge-store.ts';
import { chunk, fixedClock, RecordingStore, storedDocument } from './knowledge-fakes.ts';

function countingEmbedder(model = 'counting/2') {
  const embedded: string[] = [];
  const embedder = {
    name: 'counting-embedder',
    dimensions: 2,
    model,
    embed: async (texts: readonly string[]) => {
      embedded.push(...texts);
      return texts.map(() => Float32Array.of(0.6, 0.8));
    },
  } satisfies Embedder;
  return { embedder, embedded };
}

const retrieverWith = (embedder: Embedder) =>
  new HybridRetriever({ vector: { embedder, index: new InMemoryVectorIndex(embedder.dimensions) } });

async function storeWith(documents: Record<string, readonly KnowledgeChunk[]>) {
  const store = new RecordingStore();
  for (const [documentId, chunks] of Object.entries(documents)) {
    await store.putDocument(storedDocument(chunks.length, { documentId }), chunks);
  }
  return store;
}

const clock = fixedClock('2026-11-26T08:00:00.000Z');
const refills = [chunk({ documentId: 'refills', ordinal: 0 }), chunk({ documentId: 'refills', ordinal: 1 })];

describe('reembedKnowledge', () => {
  it('embeds chunks stored without a vector once and saves the vectors; a second run finds nothing to do', async () => {
    const { embedder, embedded } = countingEmbedder();
    const current = { model: embedder.model, vector: Float32Array.of(0.6, 0.8) };
    const store = await storeWith({
      refills,
      vaccines: [chunk({ documentId: 'vaccines', ordinal: 0, embedding: current })],
    });

    const first = await reembedKnowledge({ store, index: retrieverWith(embedder), clock }, { budgetMs: 20_000 });

    expect(first).toEqual({
      documents: 2,
      upToDate: 1,
      reembeddedDocuments: ['refills'],
      reembeddedChunks: 2,
      remainingDocuments: 0,
      complete: true,
    });
    expect(embedded).toHaveLength(2);
    expect((await store.listChunks()).every((stored) => stored.embedding?.model === embedder.model)).toBe(true);

    const second = await reembedKnowledge({ store, index: retrieverWith(embedder), clock }, { budgetMs: 20_000 });
    expect(second).toMatchObject({ upToDate: 2, reembeddedDocuments: [], reembeddedChunks: 0, complete: true });
    expect(embedded).toHaveLength(2);
  });

  it('replaces vectors of another embedding model', async () => {
    const { embedder } = countingEmbedder('titan/512');
    const old = { model: 'titan/1024', vector: Float32Array.of(1, 0) };
    const store = await storeWith({ refills: refills.map((each) => ({ ...each, embedding: old })) });

    const result = await reembedKnowledge({ store, index: retrieverWith(embedder), clock }, { budgetMs: 20_000 });

    expect(result.reembeddedChunks).toBe(2);
    expect((await store.listChunks()).map((stored) => stored.embedding?.model)).toEqual(['titan/512', 'titan/512']);
  });

  it('stops starting documents when the time budget is spent, and says how many remain', async () => {
    const { embedder } = countingEmbedder();
    const store = await storeWith({
      first: [chunk({ documentId: 'first' })],
      second: [chunk({ documentId: 'second' })],
      third: [chunk({ documentId: 'third' })],
    });
    let now = Date.parse('2026-11-26T08:00:00.000Z');
    // Each reading of the clock is one second later: a budget of 1.5 s admits the first document only.
    const ticking = {
      now: () => {
        now += 1_000;
        return new Date(now);
      },
    };

    const result = await reembedKnowledge(
      { store, index: retrieverWith(embedder), clock: ticking },
      { budgetMs: 1_500 },
    );

    expect(result).toMatchObject({ documents: 3, remainingDocuments: 2, complete: false });
    expect(result.reembeddedDocuments).toEqual(['first']);
  });

  it('refuses with EMBEDDINGS_DISABLED when the index is lexical only, touching nothing', async () => {
    const store = await storeWith({ refills });

    const attempt = reembedKnowledge({ store, index: new HybridRetriever(), clock }, { budgetMs: 20_000 });

    await expect(attempt).rejects.toBeInstanceOf(Conflict);
    await expect(attempt).rejects.toMatchObject({ code: 'EMBEDDINGS_DISABLED' });
    expect(store.calls.filter((call) => call.startsWith('saveEmbeddings'))).toEqual([]);
  });
});
