/** Ports for retrieval: where documents and chunks are kept, and the indexes that rank them. */
import type { Audience, KnowledgeChunk, KnowledgeDocument, SearchHit } from '../knowledge/knowledge-document.ts';

export interface KnowledgeStore {
  readonly name: string;
  /** Replaces the document and all its chunks (re-ingest), or creates them. */
  putDocument(document: KnowledgeDocument, chunks: readonly KnowledgeChunk[]): Promise<void>;
  /** Removes the document and its chunks; false when it did not exist. */
  deleteDocument(documentId: string): Promise<boolean>;
  getDocument(documentId: string): Promise<KnowledgeDocument | undefined>;
  listDocuments(): Promise<KnowledgeDocument[]>;
  /** Every chunk with its stored embedding, for building an in-process index at cold start. */
  listChunks(): Promise<KnowledgeChunk[]>;
  /** Changes whenever any document is put or deleted: one small read tells an index whether to rebuild. */
  catalogVersion(): Promise<string>;
  /**
   * Saves vectors onto chunks already stored, matched by chunk id in the document's current version; a chunk that
   * is no longer there (the document was replaced or deleted meanwhile) is skipped. Returns how many were saved.
   */
  saveEmbeddings(documentId: string, chunks: readonly KnowledgeChunk[]): Promise<number>;
}

export interface Embedder {
  readonly name: string;
  readonly dimensions: number;
  /** Model and dimensions, e.g. `amazon.titan-embed-text-v2:0/512`: a stored vector is reused only for the same. */
  readonly model: string;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface SearchFilter {
  /** Only chunks of these audiences (the patient FAQ passes ['public']). */
  readonly audiences: readonly Audience[];
  /**
   * True only when the query was scanned and holds no PHI: only then may it be sent to an embedding model.
   * Otherwise an index searches lexically (in process) alone.
   */
  readonly queryIsPhiFree?: boolean;
}

export interface ChunkIndex {
  readonly name: string;
  /**
   * The chunks with this index's embeddings attached, so ingest stores each vector beside its chunk once and every
   * later index build reuses it. Absent on a lexical index, which has nothing to attach.
   */
  embed?(chunks: readonly KnowledgeChunk[]): Promise<KnowledgeChunk[]>;
  /** The embedding model whose vectors `embed` attaches; undefined when the index has no vector side. */
  readonly embeddingModel?: string;
  /** Replaces every chunk of the documents named in `chunks`. */
  upsert(chunks: readonly KnowledgeChunk[]): Promise<void>;
  removeDocument(documentId: string): Promise<void>;
  search(query: string, limit: number, filter: SearchFilter): Promise<SearchHit[]>;
  readonly size: number;
}
