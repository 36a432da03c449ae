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
  /** Every chunk, for building an in-process index at cold start. */
  listChunks(): Promise<KnowledgeChunk[]>;
}

export interface Embedder {
  readonly name: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface SearchFilter {
  /** Only chunks of these audiences (the patient FAQ passes ['public']). */
  readonly audiences: readonly Audience[];
}

export interface ChunkIndex {
  readonly name: string;
  /** Replaces every chunk of the documents named in `chunks`. */
  upsert(chunks: readonly KnowledgeChunk[]): Promise<void>;
  removeDocument(documentId: string): Promise<void>;
  search(query: string, limit: number, filter: SearchFilter): Promise<SearchHit[]>;
  readonly size: number;
}
