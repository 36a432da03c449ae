/**
 * Keeps a function's in-memory chunk index in step with the knowledge table: built on first use and rebuilt
 * whenever the store's catalog version changes, e.g. after another function ingested or deleted a document.
 */
import { log } from '../observability/telemetry.ts';
import type { ChunkIndex, KnowledgeStore } from '../ports/knowledge-store.ts';

interface Build {
  readonly fingerprint: string;
  readonly sequence: number;
  readonly done: Promise<ChunkIndex>;
}

export class KnowledgeIndexCache {
  private index: ChunkIndex | undefined;
  private fingerprint: string | undefined;
  /** Which build produced `index`: a slower build of an older catalog never replaces a newer one. */
  private indexSequence = 0;
  private building: Build | undefined;
  private sequence = 0;

  constructor(
    private readonly store: KnowledgeStore,
    private readonly createIndex: () => ChunkIndex,
  ) {}

  /**
   * The index for the documents stored now; one single-item read of the catalog version per call. A caller never
   * joins a build of an older catalog, and when a rebuild fails (the embedding service down, say) the previous
   * index keeps serving rather than every knowledge route failing.
   */
  async current(): Promise<ChunkIndex> {
    const fingerprint = await this.store.catalogVersion();
    if (this.index && fingerprint === this.fingerprint) return this.index;
    if (this.building?.fingerprint !== fingerprint) this.building = this.startBuild(fingerprint);
    try {
      return await this.building.done;
    } catch (error) {
      if (!this.index) throw error;
      log.error('knowledge index rebuild failed; serving the previous index', error);
      return this.index;
    }
  }

  private startBuild(fingerprint: string): Build {
    this.sequence += 1;
    const sequence = this.sequence;
    const done = (async () => {
      const index = this.createIndex();
      await index.upsert(await this.store.listChunks());
      if (sequence > this.indexSequence) {
        this.index = index;
        this.fingerprint = fingerprint;
        this.indexSequence = sequence;
      }
      return index;
    })();
    const build: Build = { fingerprint, sequence, done };
    // Forget the build once settled, so a failed one is retried by the next call.
    done.then(
      () => this.forget(build),
      () => this.forget(build),
    );
    return build;
  }

  private forget(build: Build): void {
    if (this.building === build) this.building = undefined;
  }
}
