import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_CHUNK_BYTES,
  splitIntoChunks,
  type TextChunk,
  utf8ByteLength,
} from '../../../shared/phi/text-chunks.ts';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const endOf = (chunk: TextChunk) => chunk.offset + chunk.text.length;

/** Clinical-looking text: words, sentence ends, newlines, accented letters, CJK and astral symbols. */
const clinicalText = fc
  .array(fc.constantFrom('Patient', 'Zoë', 'Núñez', '李', '😀', '𝄞', 'MRN-12345', ' ', ' ', '. ', '\n', '!', '?'), {
    maxLength: 400,
  })
  .map((parts) => parts.join(''));
/** Any string, including lone surrogates. */
const anyText = fc.oneof(clinicalText, fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 }));
const isWellFormed = (text: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
const splitsPair = (text: string, index: number) =>
  /[\uDC00-\uDFFF]/.test(text.charAt(index)) && /[\uD800-\uDBFF]/.test(text.charAt(index - 1));

describe('utf8ByteLength', () => {
  it('agrees with Node for any string, lone surrogates included', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(utf8ByteLength(text)).toBe(bytes(text));
      }),
    );
  });
});

describe('splitIntoChunks', () => {
  it('returns no chunks for empty text', () => {
    expect(splitIntoChunks('')).toEqual([]);
  });

  it('returns short text as one chunk at offset 0', () => {
    expect(splitIntoChunks('Seen by Dr. Adams.')).toEqual([{ offset: 0, text: 'Seen by Dr. Adams.' }]);
  });

  it('keeps every chunk under the default 18,000 bytes even when characters take several bytes', () => {
    const text = 'Zoë Núñez 😀 李 '.repeat(4_000);

    const chunks = splitIntoChunks(text);

    expect(DEFAULT_MAX_CHUNK_BYTES).toBe(18_000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(bytes(chunk.text)).toBeLessThan(18_000);
  });

  it('cuts after a sentence rather than inside one when a sentence end is in reach', () => {
    const text = `${'a'.repeat(30)}. ${'b'.repeat(10)} ${'c'.repeat(10)}`;

    const [first] = splitIntoChunks(text, { maxBytes: 50, overlapChars: 0 });

    expect(first?.text).toBe(`${'a'.repeat(30)}. `);
  });

  it('cuts after whitespace when no sentence ends in reach', () => {
    const text = `${'a'.repeat(30)} ${'b'.repeat(30)}`;

    const [first] = splitIntoChunks(text, { maxBytes: 50, overlapChars: 0 });

    expect(first?.text).toBe(`${'a'.repeat(30)} `);
  });

  it('hard-cuts one giant token without splitting a surrogate pair', () => {
    const text = '😀'.repeat(10_000);

    const chunks = splitIntoChunks(text, { maxBytes: 1_001, overlapChars: 10 });

    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(bytes(chunk.text)).toBeLessThan(1_001);
      expect(splitsPair(text, chunk.offset)).toBe(false);
      expect(splitsPair(text, endOf(chunk))).toBe(false);
    }
    expect(endOf(chunks.at(-1) as TextChunk)).toBe(text.length);
  });

  it('shows a name that straddles a cut whole in the next chunk', () => {
    const text = `${'a'.repeat(40)} John Smith ${'b'.repeat(40)}`;

    const [first, second] = splitIntoChunks(text, { maxBytes: 50, overlapChars: 12 });

    expect(first?.text.endsWith(' John ')).toBe(true);
    expect(second?.text).toContain('John Smith');
  });

  it('refuses a byte limit too small for one code point and a negative overlap', () => {
    expect(() => splitIntoChunks('abc', { maxBytes: 4 })).toThrow(RangeError);
    expect(() => splitIntoChunks('abc', { overlapChars: -1 })).toThrow(RangeError);
  });

  it('keeps every chunk under the byte limit and a true slice of the text, covering all of it in order', () => {
    fc.assert(
      fc.property(
        anyText,
        fc.integer({ min: 5, max: 400 }),
        fc.integer({ min: 0, max: 80 }),
        (text, maxBytes, overlapChars) => {
          const chunks = splitIntoChunks(text, { maxBytes, overlapChars });

          expect(chunks.length === 0).toBe(text.length === 0);
          let coveredTo = 0;
          let previousOffset = -1;
          for (const chunk of chunks) {
            expect(bytes(chunk.text)).toBeLessThan(maxBytes);
            expect(chunk.text.length).toBeGreaterThan(0);
            expect(text.slice(chunk.offset, chunk.offset + chunk.text.length)).toBe(chunk.text);
            expect(chunk.offset).toBeGreaterThan(previousOffset);
            expect(chunk.offset).toBeLessThanOrEqual(coveredTo);
            previousOffset = chunk.offset;
            coveredTo = Math.max(coveredTo, endOf(chunk));
          }
          expect(coveredTo).toBe(text.length);
        },
      ),
    );
  });

  it('never starts or ends a chunk inside a surrogate pair of well-formed text', () => {
    fc.assert(
      fc.property(
        clinicalText,
        fc.integer({ min: 5, max: 200 }),
        fc.integer({ min: 0, max: 40 }),
        (text, maxBytes, overlapChars) => {
          fc.pre(isWellFormed(text));
          for (const chunk of splitIntoChunks(text, { maxBytes, overlapChars })) {
            expect(splitsPair(text, chunk.offset)).toBe(false);
            expect(splitsPair(text, endOf(chunk))).toBe(false);
          }
        },
      ),
    );
  });

  it('overlaps consecutive chunks by at least overlapChars when chunks are large enough to', () => {
    fc.assert(
      fc.property(clinicalText, fc.integer({ min: 0, max: 20 }), (text, overlapChars) => {
        // A chunk holds at least (maxBytes - 1) / 3 code units and is cut in its second half.
        const maxBytes = 12 * (overlapChars + 1) + 1;
        const chunks = splitIntoChunks(text, { maxBytes, overlapChars });
        for (let i = 1; i < chunks.length; i++) {
          expect(endOf(chunks[i - 1] as TextChunk) - (chunks[i] as TextChunk).offset).toBeGreaterThanOrEqual(
            overlapChars,
          );
        }
      }),
    );
  });
});
