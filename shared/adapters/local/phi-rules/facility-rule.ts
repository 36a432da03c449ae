// Finds hospitals, clinics, practices and other care facilities: capitalised names ending in a facility word
// ("Mercy Medical Center", "Lakeside Family Clinic"), or beginning with one ("Hospital of Saint Raphael").
import { NAME_TITLES } from './name-lexicon.ts';
import { inNameLists, isCommonWord, WordShape, wordShape } from './name-word-class.ts';
import type { PhiRule, SpanSink } from './phi-rule.ts';
import { US_CITIES } from './word-lists/us-cities.ts';
import { wordSet } from './word-set.ts';
import type { WordTokens } from './word-tokens.ts';

/** Words that end (or start) a facility name and make it one on their own. */
const STRONG_ANCHORS = wordSet(`
  hospital hospitals clinic clinics infirmary sanatorium sanitarium hospice healthcare`);
/** Two-word facility types that are as telling as "Hospital" ("Cedar Ridge Nursing Home"). */
const STRONG_PAIRS: ReadonlySet<string> = new Set(
  `medical center|medical centre|nursing home|nursing facility|nursing center|assisted living|senior living|care center
  |health center|surgery center|surgical center|cancer center|medical group|health system|rehabilitation center
  |rehab center|dialysis center|memory care|retirement home|retirement community|group home|care home|urgent care
  |family practice|medical associates|health partners`
    .split('|')
    .map((pair) => pair.trim()),
);
/** Anchors that are facility names only with a distinctive word before them ("Cedar Ridge Nursing Home"). */
const WEAK_ANCHORS = wordSet(`
  center centre centers system systems home facility institute associates group partners practice physicians
  pediatrics pharmacy laboratories laboratory labs imaging radiology diagnostics living care network services
  university college health rehab rehabilitation manor residence va vamc medicine`);
/** Words inside a facility name that do not identify it: "Memorial Hospital" alone names no particular place. */
const GENERIC_WORDS = wordSet(`
  medical health healthcare care center centre clinic clinics hospital hospitals community regional general
  memorial university childrens children womens women family internal medicine pediatric pediatrics cardiology
  oncology primary urgent specialty specialists surgical surgery outpatient inpatient rehabilitation rehab
  behavioral mental dental eye heart cancer orthopedic orthopedics sports wellness senior emergency trauma
  state national veterans nursing home skilled facility assisted living services service system systems network
  group associates partners practice physicians institute foundation hospice pharmacy laboratory laboratories
  labs lab imaging radiology diagnostic diagnostics ambulatory day kidney dialysis vascular vein spine pain sleep
  wound infusion birth birthing maternity psychiatric neurology neuroscience diabetes endocrine allergy asthma
  ent skin dermatology plastic cosmetic fertility reproductive lung pulmonary digestive gi liver transplant stroke
  burn teaching academic south north east west central main new united american first county city the of and at
  for saint st mount mt fort ft department dept division unit service program ward floor wing`);
/** "Mercy Hospital Monday" does not run on into the date. */
const CALENDAR_WORDS = wordSet(`
  january february march april may june july august september october november december jan feb mar apr jun jul
  aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday`);
/** Lower-case words allowed inside a facility name, and before its facility word. */
const CONNECTORS = wordSet('of the and for at de la del on');
const LEFT_CONNECTORS = wordSet('of the and de la del');
/** Large US health systems often named without a facility word. */
const KNOWN_SYSTEMS =
  /\b(?:Kaiser Permanente|Johns Hopkins|Cedars[- ]Sinai|Mount Sinai|Mass(?:achusetts)? General|Brigham and Women'?s|Dana[- ]Farber|(?:Memorial )?Sloan[- ]Kettering|MD Anderson|Mayo|Geisinger|Intermountain|Ochsner|NYU Langone|UPMC|UCSF|UCLA Health|Vanderbilt|Duke Health|Penn Medicine|Yale New Haven|Beth Israel(?: Deaconess)?|Northwell|Sutter Health|Advocate Aurora|Atrium Health|Baylor Scott (?:and|&) White)\b/g;

const MAX_NAME_WORDS = 7;
/** Abbreviations whose dot does not end the name ("St. Mary's Hospital"). */
const ABBREVIATIONS = wordSet('st mt ft dr');
/** "St. Luke's" alone is a hospital; "St. John's wort" is a supplement. */
const SAINT_FACILITY =
  /\b(?:St\.?|Saint)[ \t]([A-Z][a-z]{2,20})(?:['’]s|s)\b(?![ \t]+(?:wort|Street|St\b|Avenue|Ave\b|Road|Rd\b|Place|Church|Day|Eve|Parish|Cathedral))/g;

class FacilityFinder {
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
    return this.words.key(i);
  }

  private shape(i: number): WordShape {
    return wordShape(this.text, this.begin(i), this.end(i));
  }

  private capitalised(i: number): boolean {
    const shape = this.shape(i);
    return shape === WordShape.Title || shape === WordShape.Upper || shape === WordShape.Initial;
  }

  /** Words i-1 and i belong to one name: spaces, a possessive, "&", a hyphen, the dot of "St." or an initial. */
  private joined(i: number): boolean {
    const gap = this.text.slice(this.end(i - 1), this.begin(i));
    if (/^(?:['’]s)?[ \t]{1,2}(?:&[ \t]{1,2})?$/.test(gap) || gap === '-') return true;
    return (
      /^\.[ \t]{1,2}$/.test(gap) && (ABBREVIATIONS.has(this.key(i - 1)) || this.shape(i - 1) === WordShape.Initial)
    );
  }

  private nameWord(i: number, connectors = CONNECTORS): boolean {
    return this.capitalised(i) || (this.shape(i) === WordShape.Lower && connectors.has(this.key(i)));
  }

  run(): void {
    for (let i = 0; i < this.words.count; i += 1) {
      if (!this.capitalised(i)) continue;
      const key = this.key(i);
      const strong = STRONG_ANCHORS.has(key) || (i > 0 && STRONG_PAIRS.has(`${this.key(i - 1)} ${key}`));
      if (!strong && !WEAK_ANCHORS.has(key)) continue;
      // "Labs:", "Pharmacy:" and "Hospital course:" are section headings.
      if (/^[ \t]{0,2}:/.test(this.text.slice(this.end(i), this.end(i) + 3))) continue;
      this.facilityAround(i, strong);
    }
    SAINT_FACILITY.lastIndex = 0;
    for (let match = SAINT_FACILITY.exec(this.text); match !== null; match = SAINT_FACILITY.exec(this.text)) {
      this.report(match.index, match.index + match[0].length, 'FACILITY', 0.7);
    }
    KNOWN_SYSTEMS.lastIndex = 0;
    for (let match = KNOWN_SYSTEMS.exec(this.text); match !== null; match = KNOWN_SYSTEMS.exec(this.text)) {
      this.report(match.index, match.index + match[0].length, 'FACILITY', 0.8);
    }
  }

  private facilityAround(anchor: number, strong: boolean): void {
    let first = anchor;
    for (let j = anchor - 1; j >= 0 && anchor - j < MAX_NAME_WORDS; j -= 1) {
      if (!this.nameWord(j, LEFT_CONNECTORS) || !this.joined(j + 1) || NAME_TITLES.has(this.key(j))) break;
      if (this.shape(j) === WordShape.Lower && !this.capitalised(j + 1)) break;
      first = j;
    }
    // Leading connectors and function words belong to the sentence ("Transferred From St. Mary's").
    for (let j = anchor - 1; j >= first; j -= 1) {
      const key = this.key(j);
      if (
        (CONNECTORS.has(key) && this.shape(j) !== WordShape.Lower && key !== 'the') ||
        key === 'from' ||
        key === 'to'
      ) {
        first = j + 1;
        break;
      }
    }
    while (first < anchor && (CONNECTORS.has(this.key(first)) || this.key(first) === 'the')) first += 1;
    let last = anchor;
    // "Hospital of the University of Pennsylvania", "Clinic at Lakeside"
    for (let j = anchor + 1; j < this.words.count && j - anchor <= 6; j += 1) {
      if (!this.nameWord(j) || !this.joined(j)) break;
      if (CALENDAR_WORDS.has(this.key(j))) break;
      if (this.capitalised(j)) last = j;
    }
    if (last > anchor) {
      const between = this.key(anchor + 1);
      if (between !== 'of' && between !== 'at') last = anchor;
    }
    if (!this.distinctive(first, last, anchor, strong)) return;
    this.report(this.begin(first), this.end(last), 'FACILITY', strong ? 0.85 : 0.7);
  }

  private distinctive(first: number, last: number, anchor: number, strong: boolean): boolean {
    for (let j = first; j <= last; j += 1) {
      if (j === anchor || !this.capitalised(j)) continue;
      const key = this.key(j);
      if (GENERIC_WORDS.has(key) || key.length < 2) continue;
      if (strong) return true;
      if (!isCommonWord(key) || inNameLists(key) || US_CITIES.has(key)) return true;
    }
    return false;
  }
}

export const facilityRule: PhiRule = {
  name: 'care-facilities',
  types: ['FACILITY'],
  find(input, report) {
    new FacilityFinder(input.text, input.words(), report).run();
  },
};
