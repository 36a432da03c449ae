/** Splits text into overlapping chunks that each stay under a UTF-8 byte limit, for detectors that cap input size. */

/** Comprehend Medical DetectPHI takes fewer than 20,000 UTF-8 bytes per call; 18,000 leaves room for error. */
export const DEFAULT_MAX_CHUNK_BYTES = 18_000;
/** Longer than any identifier we expect, so one cut across it still leaves it whole in the next chunk. */
export const DEFAULT_OVERLAP_CHARS = 300;

// One code point takes at most 4 bytes in UTF-8, and a chunk must hold at least one while staying under the limit.
const MIN_MAX_BYTES = 5;
// How far back the next chunk's start may move to begin at a word rather than inside one.
const WORD_SNAP_CHARS = 32;
const WHITESPACE = /\s/;
const SENTENCE_END = /[.!?]["')\]]?$/;

/** A slice of the original text: `original.slice(offset, offset + text.length) === text`. */
export interface TextChunk {
  readonly offset: number;
  readonly text: string;
}

export interface TextChunkOptions {
  /** Every chunk's UTF-8 encoding is strictly shorter than this. */
  readonly maxBytes?: number;
  /** UTF-16 code units shared by consecutive chunks (less only when a chunk is too small to share that many). */
  readonly overlapChars?: number;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** True when `index` falls between the two halves of a surrogate pair. */
function splitsSurrogatePair(text: string, index: number): boolean {
  return index > 0 && isLowSurrogate(text.charCodeAt(index)) && isHighSurrogate(text.charCodeAt(index - 1));
}

/**
 * The UTF-8 size of the code point at `index` and how many UTF-16 units it takes. A lone surrogate counts as
 * U+FFFD (3 bytes), which is what TextEncoder, Buffer and the AWS SDK send in its place.
 */
function codePointSize(text: string, index: number): { units: 1 | 2; bytes: number } {
  const unit = text.charCodeAt(index);
  if (unit < 0x80) return { units: 1, bytes: 1 };
  if (unit < 0x800) return { units: 1, bytes: 2 };
  if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(index + 1))) return { units: 2, bytes: 4 };
  return { units: 1, bytes: 3 };
}

/** The number of bytes in the UTF-8 encoding of `text`. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; ) {
    const size = codePointSize(text, index);
    bytes += size.bytes;
    index += size.units;
  }
  return bytes;
}

/** The furthest end, on a code point boundary, such that `text.slice(start, end)` is under `maxBytes`. */
function furthestEnd(text: string, start: number, maxBytes: number): number {
  let bytes = 0;
  let index = start;
  while (index < text.length) {
    const size = codePointSize(text, index);
    if (bytes + size.bytes >= maxBytes) break;
    bytes += size.bytes;
    index += size.units;
  }
  return index;
}

function isSentenceBoundary(text: string, index: number): boolean {
  const unit = text.charAt(index);
  if (unit === '\n') return true;
  return WHITESPACE.test(unit) && SENTENCE_END.test(text.slice(Math.max(0, index - 2), index));
}

/**
 * Where to end a chunk that cannot reach the end of the text: after the last sentence boundary, else after the
 * last whitespace, else at the byte limit. Only the second half of the chunk is searched, so chunks stay large.
 */
function chooseCut(text: string, start: number, limit: number): number {
  const floor = start + Math.ceil((limit - start) / 2);
  for (let index = limit - 1; index >= floor - 1; index--) {
    if (isSentenceBoundary(text, index)) return index + 1;
  }
  for (let index = limit - 1; index >= floor - 1; index--) {
    if (WHITESPACE.test(text.charAt(index))) return index + 1;
  }
  return limit;
}

/** Where the chunk after `[start, cut)` begins: `overlapChars` before the cut, always past `start`. */
function nextStart(text: string, start: number, cut: number, overlapChars: number): number {
  const overlap = Math.min(overlapChars, Math.floor((cut - start) / 2));
  let next = cut - overlap;
  if (overlap > 0) {
    for (let index = next - 1; index >= Math.max(start + 1, next - WORD_SNAP_CHARS); index--) {
      if (WHITESPACE.test(text.charAt(index))) {
        next = index + 1;
        break;
      }
    }
  }
  // Moving back keeps the overlap at least as long; moving forward is only needed when back would stall.
  if (splitsSurrogatePair(text, next)) next = next - 1 > start ? next - 1 : next + 1;
  return next;
}

/**
 * Splits `text` into chunks whose UTF-8 encodings are each shorter than `maxBytes`, cutting at sentence
 * boundaries, else whitespace, else anywhere but inside a surrogate pair. Consecutive chunks share
 * `overlapChars` so an identifier crossing a cut is whole in the next chunk. Together the chunks cover the text
 * in order; empty text gives no chunks.
 */
export function splitIntoChunks(text: string, options: TextChunkOptions = {}): TextChunk[] {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_CHUNK_BYTES;
  const overlapChars = options.overlapChars ?? DEFAULT_OVERLAP_CHARS;
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_MAX_BYTES) {
    throw new RangeError(`maxBytes must be an integer of at least ${MIN_MAX_BYTES}`);
  }
  if (!Number.isInteger(overlapChars) || overlapChars < 0) {
    throw new RangeError('overlapChars must be a non-negative integer');
  }
  const chunks: TextChunk[] = [];
  let start = 0;
  while (start < text.length) {
    const limit = furthestEnd(text, start, maxBytes);
    if (limit === text.length) {
      chunks.push({ offset: start, text: text.slice(start) });
      break;
    }
    const cut = chooseCut(text, start, limit);
    chunks.push({ offset: start, text: text.slice(start, cut) });
    start = nextStart(text, start, cut, overlapChars);
  }
  return chunks;
}
