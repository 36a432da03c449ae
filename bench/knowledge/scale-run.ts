/** The scale benchmark: synthetic chunks into an index, then timed searches and the heap the index holds. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { InMemoryVectorIndex } from '../../shared/adapters/local/in-memory-vector-index.ts';
import { HybridRetriever } from '../../shared/knowledge/hybrid-retriever.ts';
import type { KnowledgeChunk } from '../../shared/knowledge/knowledge-document.ts';
import type { ChunkIndex } from '../../shared/ports/knowledge-store.ts';
import { HashingEmbedder } from './hashing-embedder.ts';
import { SyntheticProtocols } from './synthetic-protocols.ts';

export interface ScaleSettings {
  readonly seed: string;
  readonly chunks: number;
  readonly chunksPerDocument: number;
  readonly queries: number;
  readonly warmupQueries: number;
  readonly limit: number;
  readonly vectorDimensions: number;
}

export type ScaleMode = 'lexical' | 'hybrid-simulated';

export interface ScaleResult {
  readonly mode: ScaleMode;
  readonly retriever: string;
  readonly simulated: boolean;
  readonly chunks: number;
  readonly documents: number;
  readonly corpusWords: number;
  readonly ingest: { readonly seconds: number; readonly chunksPerSecond: number };
  readonly latencyMs: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly max: number;
    readonly mean: number;
  };
  readonly meanHits: number;
  /**
   * Heap used plus ArrayBuffers, after a full GC: the chunks alone, then what the index adds on top (null when GC
   * could not be forced), and the process total.
   */
  readonly heapMb: { readonly corpus: number | null; readonly index: number | null; readonly total: number };
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** A full garbage collection, so heap figures mean retained memory; undefined when the runtime refuses. */
function garbageCollector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** The JS heap plus ArrayBuffer backing stores, where posting lists and vectors live outside the heap. */
const heapMb = () => {
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 1024 ** 2;
};

function indexFor(mode: ScaleMode, dimensions: number): ChunkIndex {
  if (mode === 'lexical') return new HybridRetriever();
  const embedder = new HashingEmbedder(dimensions);
  return new HybridRetriever({ vector: { embedder, index: new InMemoryVectorIndex(dimensions) } });
}

/**
 * Collects twice around a pause: ArrayBuffer backing stores (postings, vectors) are released by a sweeper after the
 * collection that found them dead, so a single gc() can still count the previous run's buffers.
 */
async function settle(gc: (() => void) | undefined): Promise<void> {
  if (gc === undefined) return;
  gc();
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc();
}

export async function runScale(mode: ScaleMode, settings: ScaleSettings): Promise<ScaleResult> {
  const gc = garbageCollector();
  const generator = new SyntheticProtocols({
    seed: settings.seed,
    chunks: settings.chunks,
    chunksPerDocument: settings.chunksPerDocument,
  });
  await settle(gc);
  const baseline = heapMb();
  const documents: KnowledgeChunk[][] = [...generator.documents()];
  const questions = generator.questions(settings.queries + settings.warmupQueries);
  let corpusWords = 0;
  for (const document of documents) for (const chunk of document) corpusWords += chunk.text.split(' ').length;
  await settle(gc);
  const corpus = heapMb();

  const index = indexFor(mode, settings.vectorDimensions);
  const started = performance.now();
  for (const document of documents) await index.upsert(document);
  const ingestSeconds = (performance.now() - started) / 1000;
  await settle(gc);
  const indexed = heapMb();

  // Synthetic questions hold no PHI: the flag lets a hybrid index run its vector side, which it skips otherwise.
  const filter = { audiences: ['staff', 'public'] as ('staff' | 'public')[], queryIsPhiFree: true };
  for (const question of questions.slice(0, settings.warmupQueries))
    await index.search(question, settings.limit, filter);
  const latencies: number[] = [];
  let hits = 0;
  for (const question of questions.slice(settings.warmupQueries)) {
    const start = performance.now();
    const found = await index.search(question, settings.limit, filter);
    latencies.push(performance.now() - start);
    hits += found.length;
  }
  latencies.sort((a, b) => a - b);
  const chunks = index.size;
  return {
    mode,
    retriever: index.name,
    simulated: mode !== 'lexical',
    chunks,
    documents: documents.length,
    corpusWords,
    ingest: { seconds: ingestSeconds, chunksPerSecond: chunks / ingestSeconds },
    latencyMs: {
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1) ?? Number.NaN,
      mean: latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length),
    },
    meanHits: hits / Math.max(1, latencies.length),
    heapMb: {
      corpus: gc ? corpus - baseline : null,
      index: gc ? indexed - corpus : null,
      total: indexed,
    },
  };
}
