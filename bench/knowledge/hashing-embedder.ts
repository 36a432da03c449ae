/**
 * A deterministic stand-in for an embedding model (no weights can be downloaded here): the hashing trick over word
 * stems and character 4-grams, L2-normalised. It shares words with BM25 and adds some sub-word overlap
 * ("authorize" ~ "authorization"), but it has no notion of meaning, so rows that use it are labelled "simulated":
 * they measure the fusion and exact-search mechanics, not what Titan would retrieve.
 */
import { tokenize } from '../../shared/knowledge/lexical-index.ts';
import type { Embedder } from '../../shared/ports/knowledge-store.ts';

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

export class HashingEmbedder implements Embedder {
  readonly name = 'hashing-trick (simulated)';

  readonly model: string;

  constructor(readonly dimensions = 512) {
    this.model = `hashing-trick/${dimensions}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedNow(text));
  }

  embedNow(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const add = (feature: string, weight: number) => {
      const value = hash(feature);
      // The top bit picks the sign, so colliding features cancel out on average instead of piling up.
      vector[value % this.dimensions] =
        (vector[value % this.dimensions] ?? 0) + (value & 0x80000000 ? -weight : weight);
    };
    for (const term of tokenize(text)) {
      add(`w:${term}`, 1);
      const padded = `<${term}>`;
      for (let start = 0; start + 4 <= padded.length; start++) add(`c:${padded.slice(start, start + 4)}`, 0.5);
    }
    let norm = 0;
    for (const value of vector) norm += value * value;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let index = 0; index < vector.length; index++) vector[index] = (vector[index] ?? 0) * scale;
    }
    return vector;
  }
}
