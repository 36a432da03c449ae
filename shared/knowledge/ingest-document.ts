/** Ingests and deletes practice documents: PHI-scanned first, chunked, stored, then indexed. */
import { NotFound, ValidationFailed } from '../errors/domain-errors.ts';
import { detectOrFail } from '../phi/scan-text.ts';
import type { Clock } from '../ports/clock.ts';
import type { ChunkIndex, KnowledgeStore } from '../ports/knowledge-store.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';
import { chunkDocument } from './chunk-document.ts';
import type { KnowledgeDocument, KnowledgeDocumentInput } from './knowledge-document.ts';
import { extractPdfText } from './pdf-text.ts';

export interface IngestPorts {
  readonly detector: PhiDetector;
  readonly store: KnowledgeStore;
  readonly index: ChunkIndex;
  readonly clock: Clock;
}

/**
 * The knowledge base must be PHI-free, because its chunks reach every staff member, embeddings and model prompts.
 * So the title and the whole content are scanned before anything else, and a document with any finding is refused
 * outright (never redacted and kept): the author removes it and submits again. The error lists where and what was
 * found (offsets into the field as submitted, or into the extracted text of a PDF, and types), never the text.
 * Role names ("the on-call physician") rather than people's names keep a handbook clean.
 *
 * The store is written before the index: the store is the source of truth that every other container rebuilds its
 * index from, so a failure between the two leaves this container's index stale, never the store.
 */
export async function ingestDocument(
  input: KnowledgeDocumentInput,
  ingestedBy: string,
  ports: IngestPorts,
): Promise<KnowledgeDocument> {
  // A PDF is scanned and chunked as its extracted text; the stored metadata keeps format `pdf`.
  const text = input.format === 'pdf' ? await extractPdfText(input.content) : input.content;
  const entities: { field: 'title' | 'content'; chunk?: number; begin: number; end: number; type: string }[] = [];
  for (const [field, value] of [
    ['title', input.title],
    ['content', text],
  ] as const) {
    for (const { begin, end, type } of await detectOrFail(ports.detector, value)) {
      entities.push({ field, begin, end, type });
    }
  }
  refuseIfAny(entities);

  const chunks = chunkDocument(input.format === 'pdf' ? { ...input, format: 'text', content: text } : input);
  if (chunks.length === 0) {
    throw new ValidationFailed('DOCUMENT_HAS_NO_TEXT', 'The document has no text to search once markup is removed');
  }
  // The stored text is the chunks' text, after markup is removed and character references are decoded
  // (`&#45;` becomes `-`): scanning the submission alone would let an escaped identifier through.
  for (const stored of chunks) {
    for (const { begin, end, type } of await detectOrFail(ports.detector, stored.text)) {
      entities.push({ field: 'content', chunk: stored.ordinal, begin, end, type });
    }
  }
  refuseIfAny(entities);
  const { content: _content, ...metadata } = input;
  const document: KnowledgeDocument = {
    ...metadata,
    chunkCount: chunks.length,
    ingestedAt: ports.clock.now().toISOString(),
    ingestedBy,
  };
  // Embedded before anything is written, so an embedding outage stores nothing and the vectors persist with the chunks.
  const embedded = ports.index.embed ? await ports.index.embed(chunks) : chunks;
  await ports.store.putDocument(document, embedded);
  await ports.index.upsert(embedded);
  return document;
}

/** Removes a document from the store and the index; NotFound when the store did not have it. */
export async function deleteDocument(documentId: string, ports: Pick<IngestPorts, 'store' | 'index'>): Promise<void> {
  const existed = await ports.store.deleteDocument(documentId);
  // Also when the store had nothing: an index that still holds the document is stale and must forget it.
  await ports.index.removeDocument(documentId);
  if (!existed) throw new NotFound('DOCUMENT_NOT_FOUND', 'No document with this id');
}

function refuseIfAny(entities: readonly unknown[]): void {
  if (entities.length > 0) {
    throw new ValidationFailed(
      'DOCUMENT_CONTAINS_PHI',
      'The document contains protected health information and was not stored; remove it and submit again',
      { entities },
    );
  }
}
