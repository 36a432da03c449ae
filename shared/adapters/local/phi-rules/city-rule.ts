// Finds cities: before a state ("Springfield, IL 62704", "Dayton, Ohio"), from the US city list after a location
// cue ("lives in Dayton"), and distinctive multi-word city names anywhere ("San Antonio").
import { AMBIGUOUS_CREDENTIALS, LOCATION_CUES } from './name-lexicon.ts';
import { isCommonWord, isGivenName, NameClass, nameWordClass, WordShape, wordShape } from './name-word-class.ts';
import type { PhiRule, SpanSink } from './phi-rule.ts';
import { STATE_CODES, STATE_NAME_WORDS, STATE_NAMES } from './us-states.ts';
import { US_CITIES } from './word-lists/us-cities.ts';
import type { WordTokens } from './word-tokens.ts';

const MAX_CITY_WORDS = 4;
const ZIP_AFTER = /,?[ \t]{1,2}(\d{5}(?:-\d{4})?)(?![\w-])/y;
/** Abbreviations written in city names that the postal list spells out. */
const CITY_ABBREVIATIONS: Readonly<Record<string, string>> = { st: 'saint', ste: 'sainte', ft: 'fort', mt: 'mount' };

/** First words of multi-word city names, so that most words are rejected with one look-up. */
const CITY_FIRST_WORDS: ReadonlySet<string> = new Set(
  [...US_CITIES].filter((city) => city.includes(' ')).map((city) => city.slice(0, city.indexOf(' '))),
);

class CityFinder {
  constructor(
    private readonly text: string,
    private readonly words: WordTokens,
    private readonly report: SpanSink,
  ) {}

  private begin(i: number): number {
    return this.words.begin[i] ?? 0;
  }

  private end(i: number): number {
    return this.words.end[i] ?? 0;
  }

  private key(i: number): string {
    const key = this.words.key(i);
    return CITY_ABBREVIATIONS[key] ?? key;
  }

  private shape(i: number): WordShape {
    return wordShape(this.text, this.begin(i), this.end(i));
  }

  private capitalised(i: number): boolean {
    const shape = this.shape(i);
    return shape === WordShape.Title || shape === WordShape.Upper;
  }

  /** Words i-1 and i are on one line, separated by spaces (and a dot after an abbreviation such as "St."). */
  private joined(i: number): boolean {
    const gap = this.text.slice(this.end(i - 1), this.begin(i));
    return /^\.?[ \t]{1,2}$/.test(gap) || gap === '-';
  }

  /** The city name of `length` words ending at word `last`, as a list key. */
  private phrase(first: number, last: number): string {
    let phrase = this.key(first);
    for (let i = first + 1; i <= last; i += 1) phrase += ` ${this.key(i)}`;
    return phrase;
  }

  run(): void {
    const count = this.words.count;
    for (let i = 0; i < count; i += 1) {
      if (!this.capitalised(i)) continue;
      const stateEnd = this.stateAt(i);
      if (stateEnd >= 0) this.cityBeforeState(i, stateEnd);
      else this.listedCityAt(i);
    }
  }

  /** If a state (code or name) starts at word i after a comma or space, the index of its last word; else -1. */
  private stateAt(i: number): number {
    if (i === 0) return -1;
    const length = this.end(i) - this.begin(i);
    const code = length === 2 ? this.text.slice(this.begin(i), this.end(i)) : '';
    if (!STATE_CODES.has(code) && !STATE_NAME_WORDS.has(this.key(i))) return -1;
    const gap = this.text.slice(this.end(i - 1), this.begin(i));
    if (!/^\.?,?[ \t]{1,2}$/.test(gap)) return -1;
    if (STATE_CODES.has(code)) return i;
    for (let last = Math.min(this.words.count - 1, i + 2); last >= i; last -= 1) {
      if (STATE_NAMES.has(this.phrase(i, last))) return last;
    }
    return -1;
  }

  private cityBeforeState(state: number, stateEnd: number): void {
    ZIP_AFTER.lastIndex = this.end(stateEnd) + (this.text.charAt(this.end(stateEnd)) === '.' ? 1 : 0);
    const zip = ZIP_AFTER.exec(this.text);
    const zipValue = zip?.[1];
    if (zip !== null && zipValue !== undefined) {
      const zipBegin = zip.index + zip[0].length - zipValue.length;
      this.report(zipBegin, zipBegin + zipValue.length, 'ZIP', 0.95);
    }
    // Candidate city: up to four capitalised words before the state on the same line.
    let first = state;
    for (let j = state - 1; j >= 0 && state - j <= MAX_CITY_WORDS; j -= 1) {
      if (!this.capitalised(j)) break;
      first = j;
      if (j === 0 || !this.joined(j)) break;
    }
    if (first === state) return;
    const last = state - 1;
    // The longest listed city ending just before the state, else (with a ZIP) the last one or two words.
    for (let start = first; start <= last; start += 1) {
      if (US_CITIES.has(this.phrase(start, last))) {
        const code = this.text.slice(this.begin(state), this.end(state)).toLowerCase();
        // "John Smith, MD" is a clinician even though Smith is also a town.
        const afterGivenName = start > 0 && this.joined(start) && isGivenName(this.key(start - 1));
        const ambiguous = AMBIGUOUS_CREDENTIALS.has(code) && afterGivenName && this.capitalised(start - 1);
        if (ambiguous && zipValue === undefined) return;
        this.report(this.begin(start), this.end(last), 'LOCATION', 0.9);
        return;
      }
    }
    // Without a ZIP an unlisted word before a state code is too often a name ("Smith, MD", "Ramirez, ID").
    if (zipValue === undefined) return;
    let start = last;
    if (last > first && nameWordClass(this.key(last - 1)) >= NameClass.Unknown && !isCommonWord(this.key(last - 1))) {
      start = last - 1;
    }
    if (nameWordClass(this.key(start)) === NameClass.Never && start === last) return;
    this.report(this.begin(start), this.end(last), 'LOCATION', zipValue === undefined ? 0.75 : 0.85);
  }

  /** A city from the list: multi-word ones when distinctive, single words when a location cue precedes them. */
  private listedCityAt(i: number): void {
    const count = this.words.count;
    for (
      let last = CITY_FIRST_WORDS.has(this.key(i)) ? Math.min(count - 1, i + MAX_CITY_WORDS - 1) : i;
      last > i;
      last -= 1
    ) {
      let joined = true;
      for (let j = i + 1; j <= last && joined; j += 1) joined = this.capitalised(j) && this.joined(j);
      if (!joined) continue;
      const phrase = this.phrase(i, last);
      if (!US_CITIES.has(phrase) || STATE_NAMES.has(phrase)) continue;
      let distinctive = false;
      for (let j = i; j <= last && !distinctive; j += 1) distinctive = !isCommonWord(this.key(j));
      if (distinctive || this.cued(i)) this.report(this.begin(i), this.end(last), 'LOCATION', 0.8);
      return;
    }
    const key = this.key(i);
    if (!US_CITIES.has(key) || STATE_NAMES.has(key) || key.length < 3) return;
    const cls = nameWordClass(key);
    if (this.cued(i) && cls !== NameClass.Never) this.report(this.begin(i), this.end(i), 'LOCATION', 0.8);
    // A listed city that is no name and no word ("Tucson", "Albuquerque") is a place even without a cue.
    else if (cls === NameClass.Unknown && this.shape(i) === WordShape.Title) {
      this.report(this.begin(i), this.end(i), 'LOCATION', 0.6);
    }
  }

  /** A location cue ("in", "from", "lives in", "moved to") right before word i. */
  private cued(i: number): boolean {
    if (i === 0) return false;
    if (!/^[ \t]{1,2}$/.test(this.text.slice(this.end(i - 1), this.begin(i)))) return false;
    return LOCATION_CUES.has(this.key(i - 1)) && this.shape(i - 1) === WordShape.Lower;
  }
}

export const cityRule: PhiRule = {
  name: 'cities',
  types: ['LOCATION', 'ZIP'],
  find(input, report) {
    new CityFinder(input.text, input.words(), report).run();
  },
};
