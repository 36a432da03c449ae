/** The ChunkIndex the application searches: BM25 always, plus vector search when an embedder is configured. */
import { log } from '../observability/telemetry.ts';
import type { ChunkIndex, Embedder, SearchFilter } from '../ports/knowledge-store.ts';
import type { KnowledgeChunk, SearchHit } from './knowledge-document.ts';
import { Bm25Index } from './lexical-index.ts';
import { fuseRankings, RRF_K } from './rank-fusion.ts';

/** What the retriever needs of a vector index (the local `InMemoryVectorIndex` is one). */
export interface VectorSearch {
  readonly dimensions: number;
  upsert(entries: readonly { readonly chunk: KnowledgeChunk; readonly vector: Float32Array }[]): void;
  removeDocument(documentId: string): void;
  /** The stored chunk and vector, to reuse for an unchanged chunk. */
  entry(chunkId: string): { readonly chunk: KnowledgeChunk; readonly vector: Float32Array } | undefined;
  search(vector: Float32Array, limit: number, filter: SearchFilter): SearchHit[];
}

export interface HybridRetrieverOptions {
  readonly lexical?: Bm25Index;
  /** Without it the retriever is lexical only, and its name says so. */
  readonly vector?: { readonly embedder: Embedder; readonly index: VectorSearch };
  /** Hits taken from each side before fusion; never fewer than the requested limit. */
  readonly candidates?: number;
  readonly rrfK?: number;
  /** Chunks per embedder call during upsert, bounding the memory of one batch. */
  readonly embedBatchSize?: number;
}

const DEFAULT_CANDIDATES = 50;
const DEFAULT_EMBED_BATCH = 64;

/** What an embedding represents: the chunk in the context a reader sees it in. */
export function passageText(chunk: KnowledgeChunk): string {
  return [chunk.title, chunk.headingPath.join(' > '), chunk.text].filter((part) => part !== '').join('\n');
}

export class HybridRetriever implements ChunkIndex {
  readonly name: string;
  private readonly lexical: Bm25Index;
  private readonly vector: HybridRetrieverOptions['vector'];
  private readonly candidates: number;
  private readonly rrfK: number;
  private readonly embedBatchSize: number;

  constructor(options: HybridRetrieverOptions = {}) {
    this.lexical = options.lexical ?? new Bm25Index();
    this.vector = options.vector;
    if (this.vector !== undefined && this.vector.index.dimensions !== this.vector.embedder.dimensions) {
      throw new RangeError('the vector index and the embedder disagree on dimensions');
    }
    this.candidates = options.candidates ?? DEFAULT_CANDIDATES;
    this.rrfK = options.rrfK ?? RRF_K;
    this.embedBatchSize = options.embedBatchSize ?? DEFAULT_EMBED_BATCH;
    this.name =
      this.vector === undefined
        ? `${this.lexical.name} (lexical only)`
        : `${this.lexical.name} + ${this.vector.embedder.name} (reciprocal rank fusion)`;
  }

  get size(): number {
    return this.lexical.size;
  }

  get embeddingModel(): string | undefined {
    return this.vector?.embedder.model;
  }

  /**
   * Attaches a vector to every chunk. A chunk keeps the vector it carries (stored at ingest) or the one this index
   * holds for the same id and title, when the same embedder model made it: chunk ids are content hashes, so only
   * text that changed is embedded.
   */
  async embed(chunks: readonly KnowledgeChunk[]): Promise<KnowledgeChunk[]> {
    if (this.vector === undefined) return [...chunks];
    const { embedder, index } = this.vector;
    const embedded: KnowledgeChunk[] = [...chunks];
    const missing: number[] = [];
    chunks.forEach((chunk, position) => {
      if (chunk.embedding?.model === embedder.model && chunk.embedding.vector.length === embedder.dimensions) return;
      const known = index.entry(chunk.chunkId);
      if (known !== undefined && known.chunk.title === chunk.title) {
        embedded[position] = { ...chunk, embedding: { model: embedder.model, vector: known.vector } };
      } else {
        missing.push(position);
      }
    });
    for (let start = 0; start < missing.length; start += this.embedBatchSize) {
      const batch = missing.slice(start, start + this.embedBatchSize);
      const vectors = await embedder.embed(batch.map((position) => passageText(chunks[position] as KnowledgeChunk)));
      if (vectors.length !== batch.length) throw new Error('The embedder returned the wrong number of vectors');
      batch.forEach((position, offset) => {
        embedded[position] = {
          ...(chunks[position] as KnowledgeChunk),
          embedding: { model: embedder.model, vector: vectors[offset] as Float32Array },
        };
      });
    }
    return embedded;
  }

  /**
   * Embeds first (reusing stored vectors), so an embedder failure leaves both sides unchanged. The indexes keep
   * chunks without their vectors, so search hits never carry them.
   */
  async upsert(chunks: readonly KnowledgeChunk[]): Promise<void> {
    if (this.vector !== undefined) {
      const embedded = await this.embed(chunks);
      this.vector.index.upsert(
        embedded.flatMap((chunk) =>
          chunk.embedding ? [{ chunk: withoutEmbedding(chunk), vector: chunk.embedding.vector }] : [],
        ),
      );
    }
    await this.lexical.upsert(chunks.map(withoutEmbedding));
  }

  async removeDocument(documentId: string): Promise<void> {
    this.vector?.index.removeDocument(documentId);
    await this.lexical.removeDocument(documentId);
  }

  async search(query: string, limit: number, filter: SearchFilter): Promise<SearchHit[]> {
    if (limit < 1) return [];
    // The query goes to the embedding model only when it was scanned and found free of PHI.
    if (this.vector === undefined || filter.queryIsPhiFree !== true) return this.lexical.search(query, limit, filter);
    const { embedder, index } = this.vector;
    const candidates = Math.max(limit, this.candidates);
    const lexical = await this.lexical.search(query, candidates, filter);
    let semantic: SearchHit[] = [];
    try {
      const [queryVector] = await embedder.embed([query]);
      if (queryVector !== undefined) semantic = index.search(queryVector, candidates, filter);
    } catch (error) {
      // Staff still get the lexical answer when the embedding service is down; the outage shows in the logs.
      log.error('query embedding failed; answering from the lexical index only', error, { embedder: embedder.name });
    }
    return fuseRankings([lexical, semantic], this.rrfK).slice(0, limit);
  }
}

function withoutEmbedding(chunk: KnowledgeChunk): KnowledgeChunk {
  if (chunk.embedding === undefined) return chunk;
  const { embedding: _embedding, ...rest } = chunk;
  return rest;
}
