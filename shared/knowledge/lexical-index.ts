/**
 * An in-memory BM25F index over chunks with an inverted index, so a query touches only the postings of its own
 * terms, never the whole corpus.
 *
 * Ranking, in the order it is applied:
 *   - Text analysis (`english-analyzer.ts`): unit symbols spelled out, stop words dropped, Porter2 stems.
 *   - BM25F (Robertson, Zaragoza and Taylor 2004): a chunk has two fields, its headings (document title, parent
 *     headings and innermost heading, weighted 1, 2 and 3 because the innermost heading names the section most
 *     precisely) and its body text. Each field's term frequency is normalised by that field's own length before
 *     the k1 saturation, so a heading match counts the same whether the body under it is short or long; headings
 *     get a small length normalisation (b 0.3) because they are all short.
 *   - Query expansion (`query-expansion.ts`): interchangeable clinic words added at a reduced weight.
 *   - Compounds: two adjacent query words written as one word in the index ("log in" -> "login", "needle stick"
 *     -> "needlestick") add the joined term at full weight; only a term the index holds is added.
 * Tried and left out (measured in `docs/adr/0005-knowledge-vector-store.md`): a proximity bonus for query words
 * found close together, pseudo-relevance feedback, a longer (Snowball) stop-word list, WordNet synonyms, a
 * document-level score prior, other chunk sizes, GloVe word-vector neighbours as query expansion, and GloVe or
 * Universal Sentence Encoder vectors fused or re-ranked with BM25; none helped the question sets without hurting
 * another.
 * k1 1.2 and b 0.75 are the customary defaults; the handbook bench was flat around them (k1 1.0 to 1.6, b 0.5
 * to 0.9), so there was nothing to gain from fitting them to a small question set.
 */

import type { ChunkIndex, SearchFilter } from '../ports/knowledge-store.ts';
import { analyzePhrase, termOf, tokenize, words } from './english-analyzer.ts';
import type { Audience, KnowledgeChunk, SearchHit } from './knowledge-document.ts';
import { QueryExpander } from './query-expansion.ts';

export { stem, tokenize } from './english-analyzer.ts';

export const BM25_K1 = 1.2;
/** Length normalisation of the body text field. */
export const BM25_B = 0.75;
/** Length normalisation of the heading field: headings are all short, so their length says little. */
export const BM25_HEADING_B = 0.3;
/**
 * Field weights: a heading names what its section is about, and the innermost heading names it most precisely; the
 * document title is shared by every chunk of a document, so it mostly picks the document. Integers, because the
 * weighted heading frequency is stored in one byte per posting.
 */
export const FIELD_WEIGHTS = { title: 1, heading: 2, leafHeading: 3, text: 1 } as const;
export type FieldWeights = { readonly [field in keyof typeof FIELD_WEIGHTS]: number };

/** A chunk's two BM25F fields: frequencies and lengths. */
interface ChunkFields {
  /** Weighted heading-field frequency (title, parents and innermost heading) and body frequency of each term. */
  readonly frequencies: Map<string, { heading: number; text: number }>;
  readonly headingLength: number;
  readonly textLength: number;
}

function analyseChunk(chunk: KnowledgeChunk, weights: FieldWeights): ChunkFields {
  // A document's first heading usually repeats its title; counting it twice would only inflate the heading field.
  const path = chunk.headingPath[0] === chunk.title ? chunk.headingPath.slice(1) : chunk.headingPath;
  const title = tokenize(chunk.title);
  const parents = tokenize(path.slice(0, -1).join(' '));
  const leaf = tokenize(path.at(-1) ?? '');
  const text = tokenize(chunk.text);
  const frequencies = new Map<string, { heading: number; text: number }>();
  const add = (terms: readonly string[], weight: number, field: 'heading' | 'text') => {
    for (const term of terms) {
      const entry = frequencies.get(term) ?? { heading: 0, text: 0 };
      entry[field] += weight;
      frequencies.set(term, entry);
    }
  };
  add(title, weights.title, 'heading');
  add(parents, weights.heading, 'heading');
  add(leaf, weights.leafHeading, 'heading');
  add(text, 1, 'text');
  return {
    frequencies,
    headingLength: title.length * weights.title + parents.length * weights.heading + leaf.length * weights.leafHeading,
    textLength: text.length,
  };
}

/** A term's postings in typed arrays (7 bytes per entry); removed chunks stay until the next compaction. */
class Postings {
  slots = new Int32Array(4);
  /** Body-text frequency. */
  text = new Uint16Array(4);
  /** Weighted heading-field frequency (a heading is a few words, so a byte is plenty). */
  heading = new Uint8Array(4);
  length = 0;
  /** Postings of live chunks: the document frequency. */
  live = 0;

  add(slot: number, heading: number, text: number): void {
    if (this.length === this.slots.length) {
      const capacity = this.length * 2;
      const slots = new Int32Array(capacity);
      slots.set(this.slots);
      this.slots = slots;
      const texts = new Uint16Array(capacity);
      texts.set(this.text);
      this.text = texts;
      const headings = new Uint8Array(capacity);
      headings.set(this.heading);
      this.heading = headings;
    }
    this.slots[this.length] = slot;
    this.text[this.length] = Math.min(text, 0xffff);
    this.heading[this.length] = Math.min(Math.round(heading), 0xff);
    this.length++;
    this.live++;
  }

  /** Drops entries whose slot is no longer live. */
  compact(isLive: (slot: number) => boolean): void {
    let kept = 0;
    for (let index = 0; index < this.length; index++) {
      const slot = this.slots[index] ?? -1;
      if (!isLive(slot)) continue;
      this.slots[kept] = slot;
      this.text[kept] = this.text[index] ?? 0;
      this.heading[kept] = this.heading[index] ?? 0;
      kept++;
    }
    this.length = kept;
  }
}

const AUDIENCE_BIT: Readonly<Record<Audience, number>> = { staff: 1, public: 2 };

/** Slot states: a removed slot is `dead` until compaction takes it out of every posting list, then `free`. */
const FREE = 0;
const LIVE = 1;
const DEAD = 2;

/** A bounded min-heap of the best `limit` (slot, score) pairs; ties go to the smaller chunk id. */
class TopHits {
  private readonly slots: number[] = [];
  private readonly scores: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly chunkIdOf: (slot: number) => string,
  ) {}

  /** Whether a beats b: higher score, then smaller chunk id. */
  private better(aSlot: number, aScore: number, bSlot: number, bScore: number): boolean {
    if (aScore !== bScore) return aScore > bScore;
    return this.chunkIdOf(aSlot) < this.chunkIdOf(bSlot);
  }

  offer(slot: number, score: number): void {
    const { slots, scores } = this;
    if (slots.length < this.limit) {
      slots.push(slot);
      scores.push(score);
      let child = slots.length - 1;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!this.better(slots[parent] ?? 0, scores[parent] ?? 0, slot, score)) break;
        slots[child] = slots[parent] ?? 0;
        scores[child] = scores[parent] ?? 0;
        child = parent;
      }
      slots[child] = slot;
      scores[child] = score;
      return;
    }
    if (!this.better(slot, score, slots[0] ?? 0, scores[0] ?? 0)) return;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= slots.length) break;
      const right = left + 1;
      let worst = left;
      if (
        right < slots.length &&
        this.better(slots[left] ?? 0, scores[left] ?? 0, slots[right] ?? 0, scores[right] ?? 0)
      )
        worst = right;
      if (!this.better(slot, score, slots[worst] ?? 0, scores[worst] ?? 0)) break;
      slots[parent] = slots[worst] ?? 0;
      scores[parent] = scores[worst] ?? 0;
      parent = worst;
    }
    slots[parent] = slot;
    scores[parent] = score;
  }

  /** Best first. */
  drain(): { slot: number; score: number }[] {
    return this.slots
      .map((slot, index) => ({ slot, score: this.scores[index] ?? 0 }))
      .sort((a, b) => (this.better(a.slot, a.score, b.slot, b.score) ? -1 : 1));
  }
}

export interface Bm25IndexOptions {
  /** Adds interchangeable words to a query; `null` searches the query's own terms only. Default: the clinic table. */
  readonly expander?: QueryExpander | null;
  readonly k1?: number;
  /** Length normalisation of the body text, within [0, 1]. */
  readonly b?: number;
  /** Length normalisation of the heading field, within [0, 1]. */
  readonly headingB?: number;
  /** Non-negative integers for the title, parent headings and innermost heading; any non-negative text weight. */
  readonly fieldWeights?: Partial<FieldWeights>;
}

interface QueryTerm {
  readonly term: string;
  readonly postings: Postings;
  readonly weight: number;
  readonly idf: number;
}

export class Bm25Index implements ChunkIndex {
  readonly name = 'bm25';
  private readonly expander: QueryExpander | null;
  private readonly k1: number;
  private readonly b: number;
  private readonly headingB: number;
  private readonly weights: FieldWeights;
  private readonly postings = new Map<string, Postings>();
  private readonly slotsByDocument = new Map<string, number[]>();
  private chunks: (KnowledgeChunk | undefined)[] = [];
  private textLengths = new Float64Array(1024);
  private headingLengths = new Float64Array(1024);
  private audiences = new Uint8Array(1024);
  private states = new Uint8Array(1024);
  private readonly freeSlots: number[] = [];
  private liveCount = 0;
  private deadCount = 0;
  private totalTextLength = 0;
  private totalHeadingLength = 0;
  /** Reused between searches: per-slot score accumulator, and the slots it touched. */
  private scores = new Float64Array(1024);

  constructor(options: Bm25IndexOptions = {}) {
    this.expander = options.expander === undefined ? new QueryExpander(analyzePhrase) : options.expander;
    this.k1 = options.k1 ?? BM25_K1;
    this.b = options.b ?? BM25_B;
    this.headingB = options.headingB ?? BM25_HEADING_B;
    this.weights = { ...FIELD_WEIGHTS, ...options.fieldWeights };
    const unit = (value: number) => value >= 0 && value <= 1;
    if (!(this.k1 >= 0 && Number.isFinite(this.k1))) throw new RangeError('k1 must be a finite number >= 0');
    if (!unit(this.b) || !unit(this.headingB)) throw new RangeError('b and headingB must be within [0, 1]');
    const { title, heading, leafHeading, text } = this.weights;
    if (![title, heading, leafHeading].every((weight) => Number.isInteger(weight) && weight >= 0 && weight <= 16)) {
      throw new RangeError('heading field weights must be integers within [0, 16]');
    }
    if (!(text >= 0 && Number.isFinite(text))) throw new RangeError('the text weight must be a finite number >= 0');
  }

  get size(): number {
    return this.liveCount;
  }

  async upsert(chunks: readonly KnowledgeChunk[]): Promise<void> {
    this.upsertNow(chunks);
  }

  private upsertNow(chunks: readonly KnowledgeChunk[]): void {
    const byDocument = new Map<string, Map<string, KnowledgeChunk>>();
    for (const chunk of chunks) {
      const documentChunks = byDocument.get(chunk.documentId) ?? new Map<string, KnowledgeChunk>();
      documentChunks.set(chunk.chunkId, chunk);
      byDocument.set(chunk.documentId, documentChunks);
    }
    for (const [documentId, documentChunks] of byDocument) {
      this.removeNow(documentId);
      const slots: number[] = [];
      for (const chunk of documentChunks.values()) slots.push(this.addChunk(chunk));
      this.slotsByDocument.set(documentId, slots);
    }
    this.compactIfWorthIt();
  }

  async removeDocument(documentId: string): Promise<void> {
    this.removeNow(documentId);
    this.compactIfWorthIt();
  }

  async search(query: string, limit: number, filter: SearchFilter): Promise<SearchHit[]> {
    return this.searchNow(query, limit, filter);
  }

  /** The query's weighted terms that the index holds: own terms, expansions, and joined compounds. */
  private queryTerms(query: string, own: readonly string[]): QueryTerm[] {
    const weighted =
      this.expander === null
        ? [...new Set(own)].map((term) => ({ term, weight: 1 }))
        : this.expander.expand(analyzePhrase(query));
    const seen = new Set(weighted.map(({ term }) => term));
    const queryWords = words(query);
    for (let index = 0; index + 1 < queryWords.length; index++) {
      const joined = termOf(`${queryWords[index]}${queryWords[index + 1]}`);
      if (joined === '' || seen.has(joined) || !this.postings.has(joined)) continue;
      seen.add(joined);
      weighted.push({ term: joined, weight: 1 });
    }
    const documents = this.liveCount;
    return weighted.flatMap(({ term, weight }) => {
      const postings = this.postings.get(term);
      if (postings === undefined || postings.live === 0) return [];
      // The BM25 "plus 0.5" idf with a +1 inside the log, so very common terms never score negative.
      const idf = Math.log(1 + (documents - postings.live + 0.5) / (postings.live + 0.5));
      return [{ term, postings, weight, idf }];
    });
  }

  private searchNow(query: string, limit: number, filter: SearchFilter): SearchHit[] {
    let audienceMask = 0;
    for (const audience of filter.audiences) audienceMask |= AUDIENCE_BIT[audience];
    if (limit < 1 || audienceMask === 0 || this.liveCount === 0) return [];
    const terms = this.queryTerms(query, tokenize(query));
    if (terms.length === 0) return [];

    const { scores, textLengths, headingLengths, audiences, states, k1, b, headingB } = this;
    const touched: number[] = [];
    const averageText = this.totalTextLength / this.liveCount;
    const averageHeading = this.totalHeadingLength / this.liveCount;
    const textWeight = this.weights.text;
    for (const { postings, weight, idf } of terms) {
      const scale = weight * idf * (k1 + 1);
      const { slots, text, heading, length } = postings;
      for (let index = 0; index < length; index++) {
        const slot = slots[index] ?? 0;
        if (states[slot] !== LIVE || ((audiences[slot] ?? 0) & audienceMask) === 0) continue;
        // BM25F: each field's frequency over its own length norm, summed, then saturated once.
        const headingFrequency = heading[index] ?? 0;
        const textFrequency = text[index] ?? 0;
        let frequency = 0;
        if (headingFrequency > 0) {
          const norm =
            averageHeading > 0 ? 1 - headingB + (headingB * (headingLengths[slot] ?? 0)) / averageHeading : 1;
          frequency += headingFrequency / norm;
        }
        if (textFrequency > 0) {
          const norm = averageText > 0 ? 1 - b + (b * (textLengths[slot] ?? 0)) / averageText : 1;
          frequency += (textWeight * textFrequency) / norm;
        }
        if (frequency === 0) continue;
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] = (scores[slot] ?? 0) + (scale * frequency) / (frequency + k1);
      }
    }
    const top = new TopHits(limit, (slot) => this.chunks[slot]?.chunkId ?? '');
    for (const slot of touched) {
      top.offer(slot, scores[slot] ?? 0);
      scores[slot] = 0;
    }
    return top.drain().flatMap(({ slot, score }, rank) => {
      const chunk = this.chunks[slot];
      return chunk === undefined ? [] : [{ chunk, score, lexicalRank: rank + 1 }];
    });
  }

  private addChunk(chunk: KnowledgeChunk): number {
    const slot = this.freeSlots.pop() ?? this.chunks.length;
    if (slot >= this.states.length) this.grow(slot + 1);
    const { frequencies, headingLength, textLength } = analyseChunk(chunk, this.weights);
    this.chunks[slot] = chunk;
    this.textLengths[slot] = textLength;
    this.headingLengths[slot] = headingLength;
    this.audiences[slot] = AUDIENCE_BIT[chunk.audience];
    this.states[slot] = LIVE;
    this.liveCount++;
    this.totalTextLength += textLength;
    this.totalHeadingLength += headingLength;
    for (const [term, frequency] of frequencies) {
      const postings = this.postings.get(term) ?? new Postings();
      if (postings.length === 0) this.postings.set(term, postings);
      postings.add(slot, frequency.heading, frequency.text);
    }
    return slot;
  }

  private removeNow(documentId: string): void {
    const slots = this.slotsByDocument.get(documentId);
    if (slots === undefined) return;
    this.slotsByDocument.delete(documentId);
    for (const slot of slots) {
      const chunk = this.chunks[slot];
      if (chunk === undefined || this.states[slot] !== LIVE) continue;
      // Re-tokenizing is cheaper in memory than keeping every chunk's term list for the day it is removed.
      for (const term of analyseChunk(chunk, this.weights).frequencies.keys()) {
        const postings = this.postings.get(term);
        if (postings !== undefined) postings.live--;
      }
      this.states[slot] = DEAD;
      this.chunks[slot] = undefined;
      this.totalTextLength -= this.textLengths[slot] ?? 0;
      this.totalHeadingLength -= this.headingLengths[slot] ?? 0;
      this.liveCount--;
      this.deadCount++;
    }
  }

  /** Compacts once dead entries are a quarter of the index, so removal stays amortised O(postings). */
  private compactIfWorthIt(): void {
    if (this.deadCount === 0 || this.deadCount < Math.max(64, this.liveCount / 4)) return;
    const isLive = (slot: number) => this.states[slot] === LIVE;
    for (const [term, postings] of this.postings) {
      if (postings.live === 0) this.postings.delete(term);
      else postings.compact(isLive);
    }
    for (let slot = 0; slot < this.chunks.length; slot++) {
      if (this.states[slot] === DEAD) {
        this.states[slot] = FREE;
        this.freeSlots.push(slot);
      }
    }
    this.deadCount = 0;
  }

  private grow(minimum: number): void {
    let capacity = this.states.length;
    while (capacity < minimum) capacity *= 2;
    const textLengths = new Float64Array(capacity);
    textLengths.set(this.textLengths);
    this.textLengths = textLengths;
    const headingLengths = new Float64Array(capacity);
    headingLengths.set(this.headingLengths);
    this.headingLengths = headingLengths;
    const audiences = new Uint8Array(capacity);
    audiences.set(this.audiences);
    this.audiences = audiences;
    const states = new Uint8Array(capacity);
    states.set(this.states);
    this.states = states;
    this.scores = new Float64Array(capacity);
  }
}
