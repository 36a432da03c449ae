/**
 * Backfills stored vectors. Chunks stored without one (ingested before vectors were kept, or while embeddings were
 * off) or with another model's (after the embedding model changed) are otherwise embedded again by every index
 * build, at every cold start, and never kept. This embeds them once and saves each vector beside its chunk.
 */
import { Conflict } from '../errors/domain-errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { ChunkIndex, KnowledgeStore } from '../ports/knowledge-store.ts';
import type { KnowledgeChunk } from './knowledge-document.ts';

export interface ReembedPorts {
  readonly store: KnowledgeStore;
  readonly index: ChunkIndex;
  readonly clock: Clock;
}

export interface ReembedOptions {
  /**
   * Stop starting new documents after this long, so one call fits inside API Gateway's 29 seconds; the caller
   * calls again until `complete`. Documents already done are skipped cheaply on the next call.
   */
  readonly budgetMs: number;
}

export interface ReembedResult {
  readonly documents: number;
  /** Documents whose every chunk already had a vector of the current model. */
  readonly upToDate: number;
  readonly reembeddedDocuments: readonly string[];
  readonly reembeddedChunks: number;
  /** Documents not looked at because the time budget ran out. */
  readonly remainingDocuments: number;
  readonly complete: boolean;
}

export async function reembedKnowledge(ports: ReembedPorts, options: ReembedOptions): Promise<ReembedResult> {
  const embed = ports.index.embed?.bind(ports.index);
  if (embed === undefined || ports.index.embeddingModel === undefined) {
    throw new Conflict(
      'EMBEDDINGS_DISABLED',
      'This deployment has no embedding model, so there is nothing to re-embed',
    );
  }
  const started = ports.clock.now().getTime();
  const byDocument = new Map<string, KnowledgeChunk[]>();
  for (const chunk of await ports.store.listChunks()) {
    const chunks = byDocument.get(chunk.documentId) ?? [];
    if (chunks.length === 0) byDocument.set(chunk.documentId, chunks);
    chunks.push(chunk);
  }
  let upToDate = 0;
  let reembeddedChunks = 0;
  let examined = 0;
  const reembeddedDocuments: string[] = [];
  for (const [documentId, chunks] of byDocument) {
    if (ports.clock.now().getTime() - started >= options.budgetMs) break;
    examined++;
    // The index embeds only what lacks a vector of its model; a document already current costs no model call.
    const embedded = await embed(chunks);
    const missing = embedded.filter((chunk, position) => !sameEmbedding(chunk, chunks[position]));
    if (missing.length === 0) {
      upToDate++;
      continue;
    }
    reembeddedChunks += await ports.store.saveEmbeddings(documentId, missing);
    reembeddedDocuments.push(documentId);
  }
  return {
    documents: byDocument.size,
    upToDate,
    reembeddedDocuments,
    reembeddedChunks,
    remainingDocuments: byDocument.size - examined,
    complete: examined === byDocument.size,
  };
}

function sameEmbedding(embedded: KnowledgeChunk, stored: KnowledgeChunk | undefined): boolean {
  const before = stored?.embedding;
  const after = embedded.embedding;
  if (before === undefined || after === undefined) return before === after;
  return before.model === after.model && before.vector === after.vector;
}
