/**
 * Keeps a function's in-memory chunk index in step with the knowledge table: built on first use and rebuilt
 * whenever the store's catalog version changes, e.g. after another function ingested or deleted a document.
 */
import type { ChunkIndex, KnowledgeStore } from '../ports/knowledge-store.ts';

export class KnowledgeIndexCache {
  private index: ChunkIndex | undefined;
  private fingerprint: string | undefined;
  private building: Promise<ChunkIndex> | undefined;

  constructor(
    private readonly store: KnowledgeStore,
    private readonly createIndex: () => ChunkIndex,
  ) {}

  /** The index for the documents stored now; one single-item read of the catalog version per call. */
  async current(): Promise<ChunkIndex> {
    const fingerprint = await this.store.catalogVersion();
    if (this.index && fingerprint === this.fingerprint) return this.index;
    this.building ??= this.rebuild(fingerprint).finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async rebuild(fingerprint: string): Promise<ChunkIndex> {
    const index = this.createIndex();
    await index.upsert(await this.store.listChunks());
    this.index = index;
    this.fingerprint = fingerprint;
    return index;
  }
}
