// Splits text into word tokens (letters, inner apostrophes and hyphens) with their offsets, in one linear pass,
// and caches each token's look-up key so that the rules reading the tokens share the work.

/** Latin letters including accented ones; everything else (digits, punctuation, other scripts) separates words. */
const LETTER = 'A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F';
const WORD = new RegExp(`[${LETTER}]+(?:['’][${LETTER}]+)*(?:-[${LETTER}]+(?:['’][${LETTER}]+)*)*`, 'g');
/** Longer "words" are base64, hashes or garbage; they are never names, so they are skipped. */
const MAX_WORD_LENGTH = 40;

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const APOSTROPHES = /['’]/g;

/** Lower-case key for look-ups: apostrophes and diacritics removed ("O'Brien" -> "obrien", "José" -> "jose"). */
export function lookupKey(word: string): string {
  let key = word.toLowerCase();
  if (key.includes("'") || key.includes('’')) key = key.replace(APOSTROPHES, '');
  for (let i = 0; i < key.length; i += 1) {
    if (key.charCodeAt(i) > 127) return key.normalize('NFD').replace(COMBINING_MARKS, '');
  }
  return key;
}

export class WordTokens {
  private readonly keys: (string | undefined)[];

  constructor(
    private readonly text: string,
    readonly count: number,
    /** Offset of the first character of token i. */
    readonly begin: Int32Array,
    /** Offset just after token i, before a possessive `'s` (so "Mary's" ends after "Mary"). */
    readonly end: Int32Array,
  ) {
    this.keys = new Array<string | undefined>(count);
  }

  /** The look-up key of token i (see lookupKey), computed once. */
  key(i: number): string {
    let key = this.keys[i];
    if (key === undefined) {
      key = lookupKey(this.text.slice(this.begin[i] ?? 0, this.end[i] ?? 0));
      this.keys[i] = key;
    }
    return key;
  }
}

function grow(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(size);
  larger.set(array);
  return larger;
}

export function tokenizeWords(text: string): WordTokens {
  let begin = new Int32Array(Math.min(1024, text.length + 1));
  let end = new Int32Array(begin.length);
  let count = 0;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    const word = match[0];
    if (word.length > MAX_WORD_LENGTH) continue;
    if (count === begin.length) {
      begin = grow(begin, begin.length * 2);
      end = grow(end, end.length * 2);
    }
    const start = match.index;
    let stop = start + word.length;
    if (word.length > 3 && (word.endsWith("'s") || word.endsWith('’s'))) stop -= 2;
    begin[count] = start;
    end[count] = stop;
    count += 1;
  }
  return new WordTokens(text, count, begin, end);
}
