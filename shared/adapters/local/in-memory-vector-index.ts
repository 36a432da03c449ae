/** Exact cosine search over chunk embeddings held in one Float32Array: no approximation, O(chunks × dimensions). */
import type { Audience, KnowledgeChunk, SearchHit } from '../../knowledge/knowledge-document.ts';
import type { SearchFilter } from '../../ports/knowledge-store.ts';

export interface VectorEntry {
  readonly chunk: KnowledgeChunk;
  readonly vector: Float32Array;
}

/**
 * The dot product of `query` with the row of `matrix` starting at `row`. Four running sums let V8 overlap the
 * multiply-adds: about 1.8x faster than the plain loop on 100,000 x 512 (measured in the knowledge benchmark).
 */
function dot(matrix: Float32Array, row: number, query: Float32Array): number {
  const length = query.length;
  const unrolled = length - (length % 4);
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let index = 0;
  // Indices stay inside both arrays by construction; the casts only tell the compiler so.
  for (let at = row; index < unrolled; index += 4, at += 4) {
    a += (matrix[at] as number) * (query[index] as number);
    b += (matrix[at + 1] as number) * (query[index + 1] as number);
    c += (matrix[at + 2] as number) * (query[index + 2] as number);
    d += (matrix[at + 3] as number) * (query[index + 3] as number);
  }
  for (; index < length; index++) a += (matrix[row + index] as number) * (query[index] as number);
  return a + b + c + d;
}

const AUDIENCE_BIT: Readonly<Record<Audience, number>> = { staff: 1, public: 2 };

export class InMemoryVectorIndex {
  readonly name = 'exact-cosine';
  /** Unit-length rows, `dimensions` floats per slot, so cosine similarity is a dot product. */
  private matrix: Float32Array;
  private audiences: Uint8Array;
  private readonly chunks: (KnowledgeChunk | undefined)[] = [];
  private readonly slotsByChunk = new Map<string, number>();
  private readonly slotsByDocument = new Map<string, number[]>();
  private readonly freeSlots: number[] = [];

  constructor(readonly dimensions: number) {
    if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError('dimensions must be a positive integer');
    this.matrix = new Float32Array(256 * dimensions);
    this.audiences = new Uint8Array(256);
  }

  get size(): number {
    return this.slotsByChunk.size;
  }

  /** Replaces every chunk of the documents named in `entries`. Throws, changing nothing, on a wrong dimension. */
  upsert(entries: readonly VectorEntry[]): void {
    for (const { vector } of entries) {
      if (vector.length !== this.dimensions) throw new RangeError('a vector does not have the index dimensions');
    }
    const documents = new Set(entries.map(({ chunk }) => chunk.documentId));
    for (const documentId of documents) this.removeDocument(documentId);
    // The last entry of a chunk id wins, as in the lexical index.
    const latest = new Map(entries.map((entry) => [entry.chunk.chunkId, entry]));
    for (const { chunk, vector } of latest.values()) {
      const slot = this.freeSlots.pop() ?? this.chunks.length;
      if ((slot + 1) * this.dimensions > this.matrix.length) this.grow(slot + 1);
      let norm = 0;
      for (let index = 0; index < vector.length; index++) norm += (vector[index] ?? 0) ** 2;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      const row = slot * this.dimensions;
      for (let index = 0; index < vector.length; index++) this.matrix[row + index] = (vector[index] ?? 0) * scale;
      this.chunks[slot] = chunk;
      this.audiences[slot] = AUDIENCE_BIT[chunk.audience];
      this.slotsByChunk.set(chunk.chunkId, slot);
      const slots = this.slotsByDocument.get(chunk.documentId) ?? [];
      slots.push(slot);
      this.slotsByDocument.set(chunk.documentId, slots);
    }
  }

  removeDocument(documentId: string): void {
    for (const slot of this.slotsByDocument.get(documentId) ?? []) {
      const chunk = this.chunks[slot];
      if (chunk !== undefined) this.slotsByChunk.delete(chunk.chunkId);
      this.chunks[slot] = undefined;
      this.audiences[slot] = 0;
      this.freeSlots.push(slot);
    }
    this.slotsByDocument.delete(documentId);
  }

  /** The stored entry of a chunk (its vector normalised), so unchanged chunks need not be embedded again. */
  entry(chunkId: string): VectorEntry | undefined {
    const slot = this.slotsByChunk.get(chunkId);
    const chunk = slot === undefined ? undefined : this.chunks[slot];
    if (slot === undefined || chunk === undefined) return undefined;
    const row = slot * this.dimensions;
    return { chunk, vector: this.matrix.slice(row, row + this.dimensions) };
  }

  /** The `limit` chunks most similar to `vector`, best first; `score` is the cosine similarity. */
  search(vector: Float32Array, limit: number, filter: SearchFilter): SearchHit[] {
    if (vector.length !== this.dimensions) throw new RangeError('the query vector does not have the index dimensions');
    let audienceMask = 0;
    for (const audience of filter.audiences) audienceMask |= AUDIENCE_BIT[audience];
    if (limit < 1 || audienceMask === 0) return [];
    let norm = 0;
    for (let index = 0; index < vector.length; index++) norm += (vector[index] ?? 0) ** 2;
    if (norm === 0) return [];
    const query = Float32Array.from(vector, (value) => value / Math.sqrt(norm));

    // Best `limit` so far, kept sorted descending; small limits make insertion cheaper than a heap.
    const topSlots: number[] = [];
    const topScores: number[] = [];
    const { matrix, dimensions, audiences } = this;
    for (let slot = 0; slot < this.chunks.length; slot++) {
      if (((audiences[slot] ?? 0) & audienceMask) === 0) continue;
      const score = dot(matrix, slot * dimensions, query);
      if (topScores.length === limit && score <= (topScores[limit - 1] ?? Number.NEGATIVE_INFINITY)) continue;
      let position = topScores.length;
      while (position > 0 && (topScores[position - 1] ?? 0) < score) position--;
      topScores.splice(position, 0, score);
      topSlots.splice(position, 0, slot);
      if (topScores.length > limit) {
        topScores.pop();
        topSlots.pop();
      }
    }
    return topSlots.flatMap((slot, index) => {
      const chunk = this.chunks[slot];
      return chunk === undefined ? [] : [{ chunk, score: topScores[index] ?? 0, vectorRank: index + 1 }];
    });
  }

  private grow(minimumSlots: number): void {
    let capacity = this.audiences.length;
    while (capacity < minimumSlots) capacity *= 2;
    const matrix = new Float32Array(capacity * this.dimensions);
    matrix.set(this.matrix);
    this.matrix = matrix;
    const audiences = new Uint8Array(capacity);
    audiences.set(this.audiences);
    this.audiences = audiences;
  }
}
