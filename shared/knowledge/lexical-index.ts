/**
 * An in-memory BM25 index over chunks (title + heading path + text) with an inverted index, so a query touches
 * only the postings of its own terms, never the whole corpus. Heading words weigh more than body words (the
 * innermost heading most), and a query is widened with clinic synonyms at a reduced weight (`query-expansion.ts`).
 *
 * Tokenizer: lower-case; runs of Unicode letters and digits (apostrophes inside a word are kept then removed, so
 * "don't" -> "dont"); possessive "'s" dropped; a small English stop-word list; single letters dropped. Then a light,
 * deliberately conservative stemmer (not Porter), applied to words longer than three letters:
 *   1. plurals:  -sses -> -ss, -ies -> -y, -es after s/x/z/ch/sh -> drop "es", -s (not after s, u or i) -> drop
 *   2. one of:   -ied -> -y, -ing or -ed (not -eed) -> drop, when the stem keeps a vowel and 3+ letters; a doubled
 *                final consonant left behind is undoubled ("stopped" -> "stop", but "refilled" -> "refill")
 *   3. a final -e is dropped, so "schedule", "schedules", "scheduled" and "scheduling" all become "schedul".
 * It over-merges rarely ("nursing" and "nurses" meet at "nurs", which is wanted) and never needs a dictionary.
 */

import type { ChunkIndex, SearchFilter } from '../ports/knowledge-store.ts';
import type { Audience, KnowledgeChunk, SearchHit } from './knowledge-document.ts';
import { QueryExpander } from './query-expansion.ts';

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/**
 * Field weights (BM25F by repetition): a heading names what its section is about, and the innermost heading names it
 * most precisely; the document title is shared by every chunk of a document, so it mostly picks the document.
 */
export const FIELD_WEIGHTS = { title: 1, heading: 2, leafHeading: 3, text: 1 } as const;

const STOP_WORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have how i if in into is ' +
    'it its just me my of off on or our ours so such than that the their them then there these they this those to ' +
    'too us very was we were what when where which who whom why will with would you your'
  ).split(' '),
);

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const VOWEL = /[aeiouy]/;
const UNDOUBLE = /([bdfgmnprt])\1$/;

/** Light suffix stemming (see the module comment); exported for tests. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let stemmed = word;
  if (stemmed.endsWith('sses')) stemmed = stemmed.slice(0, -2);
  else if (stemmed.endsWith('ies')) stemmed = `${stemmed.slice(0, -3)}y`;
  else if (/(?:[sxz]|ch|sh)es$/.test(stemmed)) stemmed = stemmed.slice(0, -2);
  else if (/[^sui]s$/.test(stemmed)) stemmed = stemmed.slice(0, -1);

  if (stemmed.endsWith('ied') && stemmed.length > 4) stemmed = `${stemmed.slice(0, -3)}y`;
  else {
    const suffix = stemmed.endsWith('ing') ? 3 : stemmed.endsWith('ed') && !stemmed.endsWith('eed') ? 2 : 0;
    const base = stemmed.slice(0, stemmed.length - suffix);
    if (suffix > 0 && base.length >= 3 && VOWEL.test(base)) stemmed = base.replace(UNDOUBLE, '$1');
  }
  if (stemmed.length > 3 && stemmed.endsWith('e')) stemmed = stemmed.slice(0, -1);
  return stemmed;
}

/** The term of each word seen ('' for a dropped word): a corpus repeats a few thousand words millions of times. */
const TERM_CACHE = new Map<string, string>();
const TERM_CACHE_LIMIT = 200_000;

function termOf(token: string): string {
  const cached = TERM_CACHE.get(token);
  if (cached !== undefined) return cached;
  const word = /['’]/.test(token) ? token.replace(/['’]s$/, '').replace(/['’]/g, '') : token;
  const term = (word.length < 2 && !/\d/.test(word)) || STOP_WORDS.has(word) ? '' : stem(word);
  if (TERM_CACHE.size >= TERM_CACHE_LIMIT) TERM_CACHE.clear();
  TERM_CACHE.set(token, term);
  return term;
}

/** Index terms of a text, in order, duplicates kept. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  const lower = text.toLowerCase();
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(lower); match !== null; match = TOKEN.exec(lower)) {
    const term = termOf(match[0]);
    if (term !== '') terms.push(term);
  }
  return terms;
}

/** Term frequencies of a chunk's indexed fields, heading words weighted. */
function chunkTerms(chunk: KnowledgeChunk): { frequencies: Map<string, number>; length: number } {
  const frequencies = new Map<string, number>();
  let length = 0;
  const add = (text: string, weight: number) => {
    for (const term of tokenize(text)) {
      frequencies.set(term, (frequencies.get(term) ?? 0) + weight);
      length += weight;
    }
  };
  // A document's first heading usually repeats its title; counting it twice would only inflate chunk lengths.
  const headings = chunk.headingPath[0] === chunk.title ? chunk.headingPath.slice(1) : chunk.headingPath;
  add(chunk.title, FIELD_WEIGHTS.title);
  add(headings.slice(0, -1).join(' '), FIELD_WEIGHTS.heading);
  add(headings.at(-1) ?? '', FIELD_WEIGHTS.leafHeading);
  add(chunk.text, FIELD_WEIGHTS.text);
  return { frequencies, length };
}

/** A term's postings in typed arrays (6 bytes per entry); removed chunks stay until the next compaction. */
class Postings {
  slots = new Int32Array(4);
  frequencies = new Uint16Array(4);
  length = 0;
  /** Postings of live chunks: the document frequency. */
  live = 0;

  add(slot: number, frequency: number): void {
    if (this.length === this.slots.length) {
      const slots = new Int32Array(this.length * 2);
      slots.set(this.slots);
      this.slots = slots;
      const frequencies = new Uint16Array(this.length * 2);
      frequencies.set(this.frequencies);
      this.frequencies = frequencies;
    }
    this.slots[this.length] = slot;
    this.frequencies[this.length] = Math.min(frequency, 0xffff);
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
      this.frequencies[kept] = this.frequencies[index] ?? 0;
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
}

export class Bm25Index implements ChunkIndex {
  readonly name = 'bm25';
  private readonly expander: QueryExpander | null;
  private readonly postings = new Map<string, Postings>();
  private readonly slotsByDocument = new Map<string, number[]>();
  private chunks: (KnowledgeChunk | undefined)[] = [];
  private lengths = new Float64Array(1024);
  private audiences = new Uint8Array(1024);
  private states = new Uint8Array(1024);
  private readonly freeSlots: number[] = [];
  private liveCount = 0;
  private deadCount = 0;
  private totalLength = 0;
  /** Reused between searches: per-slot score accumulator, and the slots it touched. */
  private scores = new Float64Array(1024);

  constructor(options: Bm25IndexOptions = {}) {
    this.expander = options.expander === undefined ? new QueryExpander(tokenize) : options.expander;
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

  private searchNow(query: string, limit: number, filter: SearchFilter): SearchHit[] {
    let audienceMask = 0;
    for (const audience of filter.audiences) audienceMask |= AUDIENCE_BIT[audience];
    if (limit < 1 || audienceMask === 0 || this.liveCount === 0) return [];
    const queryTerms = tokenize(query);
    const weighted =
      this.expander === null
        ? [...new Set(queryTerms)].map((term) => ({ term, weight: 1 }))
        : this.expander.expand(queryTerms);
    const terms = weighted.flatMap(({ term, weight }) => {
      const postings = this.postings.get(term);
      return postings !== undefined && postings.live > 0 ? [{ postings, weight }] : [];
    });
    if (terms.length === 0) return [];

    const { scores, lengths, audiences, states } = this;
    const touched: number[] = [];
    const documents = this.liveCount;
    const averageLength = this.totalLength / documents;
    for (const { postings, weight } of terms) {
      // The BM25 "plus 0.5" idf with a +1 inside the log, so very common terms never score negative.
      const idf = weight * Math.log(1 + (documents - postings.live + 0.5) / (postings.live + 0.5));
      const { slots, frequencies, length } = postings;
      for (let index = 0; index < length; index++) {
        const slot = slots[index] ?? 0;
        if (states[slot] !== LIVE || ((audiences[slot] ?? 0) & audienceMask) === 0) continue;
        const frequency = frequencies[index] ?? 0;
        const norm = BM25_K1 * (1 - BM25_B + (BM25_B * (lengths[slot] ?? 0)) / averageLength);
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] = (scores[slot] ?? 0) + (idf * frequency * (BM25_K1 + 1)) / (frequency + norm);
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
    const { frequencies, length } = chunkTerms(chunk);
    this.chunks[slot] = chunk;
    this.lengths[slot] = length;
    this.audiences[slot] = AUDIENCE_BIT[chunk.audience];
    this.states[slot] = LIVE;
    this.liveCount++;
    this.totalLength += length;
    for (const [term, frequency] of frequencies) {
      const postings = this.postings.get(term) ?? new Postings();
      if (postings.length === 0) this.postings.set(term, postings);
      postings.add(slot, frequency);
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
      for (const term of chunkTerms(chunk).frequencies.keys()) {
        const postings = this.postings.get(term);
        if (postings !== undefined) postings.live--;
      }
      this.states[slot] = DEAD;
      this.chunks[slot] = undefined;
      this.totalLength -= this.lengths[slot] ?? 0;
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
    const lengths = new Float64Array(capacity);
    lengths.set(this.lengths);
    this.lengths = lengths;
    const audiences = new Uint8Array(capacity);
    audiences.set(this.audiences);
    this.audiences = audiences;
    const states = new Uint8Array(capacity);
    states.set(this.states);
    this.states = states;
    this.scores = new Float64Array(capacity);
  }
}
