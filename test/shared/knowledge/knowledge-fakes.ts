/** Typed fakes of the knowledge ports (store, index, detector, clock) and builders for documents and chunks. */
import type {
  KnowledgeChunk,
  KnowledgeDocument,
  KnowledgeDocumentInput,
  SearchHit,
} from '../../../shared/knowledge/knowledge-document.ts';
import type { PhiSpan } from '../../../shared/phi/phi-types.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import type { ChunkIndex, KnowledgeStore, SearchFilter } from '../../../shared/ports/knowledge-store.ts';
import type { PhiDetector } from '../../../shared/ports/phi-detector.ts';

export const documentInput = (overrides: Partial<KnowledgeDocumentInput> = {}): KnowledgeDocumentInput => ({
  documentId: 'refill-protocol',
  title: 'Medication refill protocol',
  owner: 'medical-director',
  audience: 'staff',
  effectiveOn: '2026-01-01',
  reviewOn: '2027-01-01',
  version: '1',
  format: 'markdown',
  content: '# Refills\n\nRoutine refills are completed within two business days.\n',
  ...overrides,
});

/** The stored metadata of `documentInput(overrides)` with `chunkCount` chunks. */
export const storedDocument = (
  chunkCount: number,
  overrides: Partial<KnowledgeDocumentInput> = {},
): KnowledgeDocument => {
  const { content: _content, ...metadata } = documentInput(overrides);
  return { ...metadata, chunkCount, ingestedAt: '2026-03-10T09:00:00.000Z', ingestedBy: 'user-42' };
};

export const chunk = (overrides: Partial<KnowledgeChunk> = {}): KnowledgeChunk => {
  const documentId = overrides.documentId ?? 'refill-protocol';
  const ordinal = overrides.ordinal ?? 0;
  return {
    chunkId: `${documentId}:${String(ordinal).padStart(12, '0')}`,
    documentId,
    title: 'Medication refill protocol',
    audience: 'staff',
    version: '1',
    headingPath: ['Medication refill protocol'],
    text: 'Routine refills are completed within two business days.',
    ordinal,
    ...overrides,
  };
};

export const hit = (chunkValue: KnowledgeChunk, extra: Partial<SearchHit> = {}): SearchHit => ({
  chunk: chunkValue,
  score: 1,
  ...extra,
});

export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });

/** Flags every occurrence of `needle` as a NAME, the way a real detector reports spans: sorted, non-overlapping. */
export function detectorFlagging(needle: string) {
  const scanned: string[] = [];
  const detector = {
    name: 'fake-detector',
    detect: async (text: string): Promise<PhiSpan[]> => {
      scanned.push(text);
      const spans: PhiSpan[] = [];
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
        spans.push({ begin: at, end: at + needle.length, type: 'NAME', score: 0.99 });
      }
      return spans;
    },
  } satisfies PhiDetector;
  return { detector, scanned };
}

/** A KnowledgeStore in memory that records every call. */
export class RecordingStore implements KnowledgeStore {
  readonly name = 'RecordingStore';
  readonly documents = new Map<string, { document: KnowledgeDocument; chunks: readonly KnowledgeChunk[] }>();
  readonly calls: string[] = [];
  private version = 0;

  async putDocument(document: KnowledgeDocument, chunks: readonly KnowledgeChunk[]) {
    this.calls.push(`put:${document.documentId}`);
    this.documents.set(document.documentId, { document, chunks });
    this.version++;
  }
  async deleteDocument(documentId: string) {
    this.calls.push(`delete:${documentId}`);
    this.version++;
    return this.documents.delete(documentId);
  }
  async catalogVersion() {
    return String(this.version);
  }
  async getDocument(documentId: string) {
    return this.documents.get(documentId)?.document;
  }
  async listDocuments() {
    return [...this.documents.values()].map((entry) => entry.document);
  }
  async listChunks() {
    return [...this.documents.values()].flatMap((entry) => entry.chunks);
  }
  /** Like the real store: only chunks still stored under the same id take a vector. */
  async saveEmbeddings(documentId: string, chunks: readonly KnowledgeChunk[]) {
    this.calls.push(`saveEmbeddings:${documentId}:${chunks.length}`);
    const entry = this.documents.get(documentId);
    if (entry === undefined) return 0;
    const vectors = new Map(chunks.map((chunk) => [chunk.chunkId, chunk.embedding]));
    let saved = 0;
    const updated = entry.chunks.map((stored) => {
      const embedding = vectors.get(stored.chunkId);
      if (embedding === undefined) return stored;
      saved++;
      return { ...stored, embedding };
    });
    this.documents.set(documentId, { ...entry, chunks: updated });
    return saved;
  }
}

/** A ChunkIndex that keeps chunks by document and records every call; search returns what was asked for. */
export class RecordingIndex implements ChunkIndex {
  readonly name = 'recording-index';
  readonly byDocument = new Map<string, KnowledgeChunk[]>();
  readonly calls: string[] = [];
  readonly searches: { query: string; limit: number; filter: SearchFilter }[] = [];
  nextHits: SearchHit[] = [];

  get size() {
    return [...this.byDocument.values()].reduce((sum, chunks) => sum + chunks.length, 0);
  }
  async upsert(chunks: readonly KnowledgeChunk[]) {
    this.calls.push(`upsert:${chunks.length}`);
    for (const documentId of new Set(chunks.map((entry) => entry.documentId))) {
      this.byDocument.set(
        documentId,
        chunks.filter((entry) => entry.documentId === documentId),
      );
    }
  }
  async removeDocument(documentId: string) {
    this.calls.push(`remove:${documentId}`);
    this.byDocument.delete(documentId);
  }
  async search(query: string, limit: number, filter: SearchFilter) {
    this.searches.push({ query, limit, filter });
    return this.nextHits;
  }
}
