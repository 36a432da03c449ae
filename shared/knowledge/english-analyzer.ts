/**
 * The English text analysis that the lexical index and the query expander share, so a word in a question and the
 * same word in a handbook always become the same index term.
 *
 * Steps, in order:
 *   1. unit symbols become words ("36 °F" -> "36 fahrenheit", "5 %" -> "5 percent"), because a symbol is not a
 *      token and people type the unit's name;
 *   2. lower-case; a token is a run of Unicode letters and digits, with apostrophes inside a word removed
 *      ("don't" -> "dont") and a possessive "'s" dropped;
 *   3. stop words and single letters are dropped (digits are kept: "2" in "2 days" matters);
 *   4. the Porter2 ("Snowball English") stemmer, the standard algorithmic English stemmer, through the `porter2`
 *      package. It folds inflections and common derivations onto one stem ("authorize", "authorization" ->
 *      "author"; "vaccines", "vaccination" -> "vaccin") without a dictionary. Tokens with a digit are not stemmed.
 */
import { stem as porter2 } from 'porter2';

/** Function words that carry no topic. Kept short on purpose: "out", "before", "after" and "not" can matter. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have how i if in into is ' +
    'it its just me my of off on or our ours so such than that the their them then there these they this those to ' +
    'too us very was we were what when where which who whom why will with would you your'
  ).split(' '),
);

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const APOSTROPHE = /['’]/;

/** Unit symbols spelled out; the lookahead keeps "°C" from taking the first letter of a following word. */
const SYMBOLS: readonly (readonly [RegExp, string])[] = [
  [/°\s?F(?![\p{L}\p{N}])/giu, ' fahrenheit '],
  [/°\s?C(?![\p{L}\p{N}])/giu, ' celsius '],
  [/%/g, ' percent '],
];
const HAS_SYMBOL = /[°%]/;

/** Porter2 stem of one lower-case word; words with a digit are returned unchanged. */
export function stem(word: string): string {
  return /\d/.test(word) ? word : porter2(word);
}

/** The term of each word seen ('' for a dropped word): a corpus repeats a few thousand words millions of times. */
const TERM_CACHE = new Map<string, string>();
const TERM_CACHE_LIMIT = 200_000;

/** The index term of one lower-case token, or '' when the token is dropped. */
export function termOf(token: string): string {
  const cached = TERM_CACHE.get(token);
  if (cached !== undefined) return cached;
  const word = APOSTROPHE.test(token) ? token.replace(/['’]s$/, '').replace(/['’]/g, '') : token;
  const term = (word.length < 2 && !/\d/.test(word)) || STOP_WORDS.has(word) ? '' : stem(word);
  if (TERM_CACHE.size >= TERM_CACHE_LIMIT) TERM_CACHE.clear();
  TERM_CACHE.set(token, term);
  return term;
}

/** The lower-case word tokens of a text, stop words included, in order (steps 1 and 2). */
export function words(text: string): string[] {
  let normalized = text;
  // Most text has no symbol at all; skipping the replacements keeps ingest fast.
  if (HAS_SYMBOL.test(text)) for (const [symbol, name] of SYMBOLS) normalized = normalized.replace(symbol, name);
  return normalized.toLowerCase().match(TOKEN) ?? [];
}

/** Index terms of a text, in order, duplicates kept. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const word of words(text)) {
    const term = termOf(word);
    if (term !== '') terms.push(term);
  }
  return terms;
}

/** Prefix of a stop word kept by `analyzePhrase`; a token never contains it. */
export const STOP_WORD_MARK = '~';

/**
 * Index terms with each stop word kept as a mark ("~on"), for matching multi-word phrases exactly: without the
 * marks, "on call" would reduce to "call". Single letters are still dropped.
 */
export function analyzePhrase(text: string): string[] {
  const terms: string[] = [];
  for (const word of words(text)) {
    const term = termOf(word);
    if (term !== '') terms.push(term);
    else if (STOP_WORDS.has(word)) terms.push(`${STOP_WORD_MARK}${word}`);
  }
  return terms;
}
