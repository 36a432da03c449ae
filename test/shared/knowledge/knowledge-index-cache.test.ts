import { describe, expect, it } from 'vitest';
import { KnowledgeIndexCache } from '../../../shared/knowledge/knowledge-index-cache.ts';
import type { ChunkIndex } from '../../../shared/ports/knowledge-store.ts';
import { chunk, RecordingIndex, RecordingStore } from './knowledge-fakes.ts';

const documentOf = (documentId: string) => ({
  documentId,
  title: documentId,
  owner: 'practice-manager',
  audience: 'staff' as const,
  effectiveOn: '2026-01-01',
  reviewOn: '2027-01-01',
  version: '1',
  format: 'markdown' as const,
  chunkCount: 1,
  ingestedAt: '2026-01-01T00:00:00Z',
  ingestedBy: 'test',
});

describe('KnowledgeIndexCache', () => {
  it('builds once, and again only when the catalog version changes', async () => {
    const store = new RecordingStore();
    await store.putDocument(documentOf('refills'), [chunk({ documentId: 'refills' })]);
    let builds = 0;
    const cache = new KnowledgeIndexCache(store, () => {
      builds += 1;
      return new RecordingIndex();
    });

    const first = await cache.current();
    expect(await cache.current()).toBe(first);
    await store.putDocument(documentOf('parking'), [chunk({ documentId: 'parking' })]);
    const second = await cache.current();

    expect(builds).toBe(2);
    expect(second).not.toBe(first);
    expect(second.size).toBe(2);
  });

  it('keeps serving the previous index when a rebuild fails, and retries on the next call', async () => {
    const store = new RecordingStore();
    await store.putDocument(documentOf('refills'), [chunk({ documentId: 'refills' })]);
    let failing = false;
    const cache = new KnowledgeIndexCache(store, () => {
      const index = new RecordingIndex();
      if (failing) index.upsert = async () => Promise.reject(new Error('embedding service down'));
      return index;
    });
    const first = await cache.current();

    failing = true;
    await store.putDocument(documentOf('parking'), [chunk({ documentId: 'parking' })]);
    expect(await cache.current()).toBe(first);

    failing = false;
    const rebuilt = await cache.current();
    expect(rebuilt).not.toBe(first);
    expect(rebuilt.size).toBe(2);
  });

  it('fails when there is no previous index to serve', async () => {
    const store = new RecordingStore();
    const cache = new KnowledgeIndexCache(store, () => {
      const index = new RecordingIndex();
      index.upsert = async () => Promise.reject(new Error('embedding service down'));
      return index;
    });
    await expect(cache.current()).rejects.toThrow('embedding service down');
  });

  it('never hands a caller who saw a newer catalog the build of an older one', async () => {
    const store = new RecordingStore();
    await store.putDocument(documentOf('refills'), [chunk({ documentId: 'refills' })]);
    let releaseSlowBuild: () => void = () => undefined;
    let slow = true;
    const cache = new KnowledgeIndexCache(store, () => {
      const index: ChunkIndex = new RecordingIndex();
      if (slow) {
        slow = false;
        const upsert = index.upsert.bind(index);
        index.upsert = async (chunks) => {
          await new Promise<void>((resolve) => {
            releaseSlowBuild = resolve;
          });
          await upsert(chunks);
        };
      }
      return index;
    });

    const older = cache.current();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await store.putDocument(documentOf('parking'), [chunk({ documentId: 'parking' })]);
    const newer = await cache.current();
    releaseSlowBuild();
    await older;

    expect(newer.size).toBe(2);
    expect(await cache.current()).toBe(newer);
  });
});
