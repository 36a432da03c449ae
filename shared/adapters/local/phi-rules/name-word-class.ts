// Classifies one word by how likely it is to be (part of) a person's name, from the name and English word lists.
import { EPONYMS, FUNCTION_WORDS, NON_NAME_WORDS } from './name-lexicon.ts';
import { COMMON_WORDS } from './word-lists/common-words.ts';
import { FIRST_NAMES } from './word-lists/first-names.ts';
import { SURNAMES } from './word-lists/surnames.ts';
import { VERY_COMMON_WORDS } from './word-lists/very-common-words.ts';

/** Ordered: a higher class is more name-like, so rules compare with `>=`. */
export const NameClass = {
  /** Function words and clinical vocabulary: never a name without a title or field cue. */
  Never: 0,
  /** An English word that is in no name list. */
  Word: 1,
  /** In no list at all: a rare name, or a brand, or a typo. */
  Unknown: 2,
  /** A name that is also one of the most common English words (Will, May, Brown) or an eponym (Parkinson). */
  CommonName: 3,
  /** A name that is also a common English word (Smith, Rose, Hunter). */
  AmbiguousName: 4,
  /** A name that is no common English word (Maria, Nguyen, Kowalski). */
  StrongName: 5,
} as const;
export type NameClass = (typeof NameClass)[keyof typeof NameClass];

export const WordShape = { Lower: 0, Title: 1, Upper: 2, Initial: 3, Other: 4 } as const;
export type WordShape = (typeof WordShape)[keyof typeof WordShape];

/**
 * Endings of English and clinical words that are rarely surnames; applied only to words in no name list, so that
 * an unknown "Ambulating" or "Cardiomyopathy" is not taken for a rare surname.
 */
const NON_NAME_ENDING =
  /(?:itis|osis|emia|aemia|ectomy|otomy|ostomy|plasty|scopy|graphy|gram|pathy|algia|oma|uria|penia|megaly|trophy|plegia|paresis|rrhea|ology|ologist|iatry|iatric|ation|tion|sion|ment|ness|ity|ous|ive|able|ible|ing|ed|ly|ic|ical|ary|ory|pril|olol|sartan|statin|dipine|azole|cillin|mycin|floxacin|cycline|mab|nib|vir|gliptin|gliflozin|glutide|afil|triptan|oxetine|azepam|zolam|codone|morphone|tidine|setron|parin|xaban|gatran|lukast|terol|sonide|tropium|thiazide|semide|zine|pam|lam|ase|ide|ate|ene|one|ase|ium|phil|cyte|cytes|blast|plasia)$/;

export { lookupKey } from './word-tokens.ts';

const isUpper = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 0xc0 && code <= 0xde);
const isLower = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 0xdf && code <= 0xff);

/** Title covers "McDonald" and "O'Brien"; Upper needs two letters; a lone capital is an Initial. */
export function wordShape(text: string, begin: number, end: number): WordShape {
  const first = text.charCodeAt(begin);
  if (end - begin === 1) return isUpper(first) ? WordShape.Initial : WordShape.Lower;
  if (isLower(first)) return WordShape.Lower;
  if (!isUpper(first)) return WordShape.Other;
  for (let i = begin + 1; i < end; i += 1) if (isLower(text.charCodeAt(i))) return WordShape.Title;
  return WordShape.Upper;
}

export const inNameLists = (key: string): boolean => FIRST_NAMES.has(key) || SURNAMES.has(key);
export const isGivenName = (key: string): boolean => FIRST_NAMES.has(key);
export const isSurname = (key: string): boolean => SURNAMES.has(key);
export const isCommonWord = (key: string): boolean => VERY_COMMON_WORDS.has(key) || COMMON_WORDS.has(key);
export const isFunctionWord = (key: string): boolean => FUNCTION_WORDS.has(key);

/** A stem an inflection can be read from: a common content word ("sharp"), not a function word ("her" in "hering"). */
const isCommonStem = (stem: string): boolean => stem.length >= 3 && isCommonWord(stem) && !FUNCTION_WORDS.has(stem);
/** "running" -> "run": the final consonant doubled before a suffix. */
const DOUBLED_CONSONANT = /([b-df-hj-np-tv-z])\1$/;

/** Stems of a verb form once its suffix is cut: as is ("bill-ing"), with a silent e ("stor-ing"), undoubled ("runn-ing"). */
function verbStems(stem: string): string[] {
  return DOUBLED_CONSONANT.test(stem) ? [stem, `${stem}e`, stem.slice(0, -1)] : [stem, `${stem}e`];
}

/**
 * Whether `key` is a regular inflection of a common English word: a plural or third person ("sharps", "boxes",
 * "babies") or an "-ing" form ("billing", "storing"). SCOWL files many such forms at a rarer size than their
 * stem, so the common-word lists miss them; "-ed" is left out, as its false stems are names ("Hamed", "Sayed").
 */
export function isInflectedCommonWord(key: string): boolean {
  const n = key.length;
  if (n >= 4 && key.endsWith('s') && !/(?:ss|us|is|ys)$/.test(key)) {
    if (key.endsWith('ies')) return isCommonStem(`${key.slice(0, -3)}y`);
    if (/(?:[sxz]|ch|sh)es$/.test(key)) return isCommonStem(key.slice(0, -2));
    return isCommonStem(key.slice(0, -1));
  }
  return n >= 6 && key.endsWith('ing') && verbStems(key.slice(0, -3)).some(isCommonStem);
}

/** "reviewer", "prescribers": a noun for someone who does what a common verb says. */
function isAgentNoun(key: string): boolean {
  const singular = key.endsWith('ers') ? key.slice(0, -1) : key;
  return singular.length >= 6 && singular.endsWith('er') && verbStems(singular.slice(0, -2)).some(isCommonStem);
}

/** A common English word or a regular inflection of one. */
export const isEnglishWord = (key: string): boolean => isCommonWord(key) || isInflectedCommonWord(key);

/** "I've", "we'll", "don't": a contraction is never a name, though "ive" is in a given-name list. */
const CONTRACTION = /['’](?:ve|ll|re|d|m|t|s)$/i;

/** The class of a word as written (a contraction is checked before apostrophes are dropped from its key). */
export function nameWordClassOf(word: string, key: string): NameClass {
  return CONTRACTION.test(word) ? NameClass.Never : nameWordClass(key);
}

function classOfPart(key: string): NameClass {
  if (FUNCTION_WORDS.has(key) || NON_NAME_WORDS.has(key)) return NameClass.Never;
  if (inNameLists(key)) {
    if (EPONYMS.has(key) || VERY_COMMON_WORDS.has(key)) return NameClass.CommonName;
    if (COMMON_WORDS.has(key)) return NameClass.AmbiguousName;
    // A surname that inflects a common word ("Sharps", "Billing") is that word as often; a given name ("Nils") is not.
    return !FIRST_NAMES.has(key) && isInflectedCommonWord(key) ? NameClass.AmbiguousName : NameClass.StrongName;
  }
  if (EPONYMS.has(key)) return NameClass.Never;
  if (isEnglishWord(key) || isAgentNoun(key) || key.length < 3 || NON_NAME_ENDING.test(key)) return NameClass.Word;
  return NameClass.Unknown;
}

/** Bounded so that a document full of distinct words cannot grow the cache without limit. */
const CACHE_LIMIT = 200_000;
const cache = new Map<string, NameClass>();

/**
 * The class of a lookup key; a hyphenated word takes the most name-like class of its parts ("Smith-Jones"), where a
 * part of one or two letters counts only when every part is that short ("de-identified" is a word, "Ng-Li" a name).
 */
export function nameWordClass(key: string): NameClass {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let result: NameClass;
  if (key.includes('-')) {
    const keys = key.split('-');
    const long = keys.filter((part) => part.length >= 3);
    const parts = (long.length > 0 ? long : keys).map(classOfPart);
    result = parts.some((c) => c >= NameClass.CommonName) ? (Math.max(...parts) as NameClass) : NameClass.Word;
  } else result = classOfPart(key);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}
