// Finds hospitals, clinics, practices and other care facilities: capitalised names ending in a facility word
// ("Mercy Medical Center", "Lakeside Family Clinic"), in a specialty or service ("Summit Orthopedics", "Coastal
// Imaging", "Harbor Drug"), or beginning with one ("Hospital of Saint Raphael").
import { FUNCTION_WORDS, NAME_TITLES, NON_NAME_WORDS } from './name-lexicon.ts';
import { inNameLists, isCommonWord, WordShape, wordShape } from './name-word-class.ts';
import type { PhiRule, SpanSink } from './phi-rule.ts';
import { STATE_NAME_WORDS } from './us-states.ts';
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
/**
 * Anchors that are facility names only with a distinctive word before them ("Cedar Ridge Nursing Home"), including
 * the specialties and services practices are named for ("Summit Orthopedics", "Coastal Imaging", "Harbor Drug").
 */
const WEAK_ANCHORS = wordSet(`
  center centre centers system systems home facility institute associates group partners practice physicians
  pediatrics pharmacy laboratories laboratory labs imaging radiology diagnostics living care network services
  university college health rehab rehabilitation manor residence va vamc medicine
  cardiology gastroenterology orthopedics orthopaedics orthopedic orthopaedic dermatology neurology oncology urology
  nephrology pulmonology rheumatology endocrinology ophthalmology optometry podiatry psychiatry gynecology obgyn gyn
  obstetrics hematology otolaryngology audiology chiropractic dentistry dental orthodontics periodontics eyecare
  vision hearing surgery surgeons surgical specialists dialysis therapy therapies hospice pharmacies drug drugs
  apothecary chemists wellness counseling supply supplies equipment infusion geriatrics neurosurgery vein veins spine
  healthcare medical urgent ent consultants`);
/** Two-word specialties whose last word alone is no anchor ("Lakeside Allergy & Asthma", "Evergreen OB/GYN"). */
const WEAK_PAIRS: ReadonlySet<string> = new Set(['allergy asthma', 'ob gyn', 'nose throat']);
/** Last words of the pairs, so that a pair is looked up only where it can end. */
const PAIR_ENDS: ReadonlySet<string> = new Set(
  [...STRONG_PAIRS, ...WEAK_PAIRS].map((pair) => pair.split(' ')[1] ?? ''),
);
/** Anchors that describe rather than name, so a capitalised word after them means a heading ("Past Medical History"). */
const ADJECTIVE_ANCHORS = wordSet('medical surgical orthopedic orthopaedic dental drug drugs urgent');
/** Words that may follow an anchor inside the name: legal forms of a practice ("Summit Cardiology PC"). */
const COMPANY_SUFFIXES = wordSet('pc llc pllc pa inc ltd llp lp co corp company store stores mart');
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
  for saint st mount mt fort ft department dept division unit service program ward floor wing
  interventional invasive noninvasive non-invasive nuclear cardiac cardiovascular palliative hospitalist adult
  geriatric neonatal adolescent acute chronic subacute critical intensive physical occupational speech respiratory
  vascular thoracic cardiothoracic colorectal bariatric reconstructive oral maxillofacial hand foot ankle spine pain
  movement memory epilepsy headache breast body neuroradiology interventional mammography ultrasound ct mri pet
  therapeutic preventive preventative integrative functional regenerative endoscopy hepatology electrophysiology
  failure advanced complex comprehensive integrated collaborative visiting short-term long-term post-acute
  transitional residential partial independent continuing supportive consulting referring attending treating
  covering receiving accepting admitting our your his her their other outside local previous prior current nearest
  same any no known urine serum illicit recreational prescription iv otc alcohol substance addiction vestibular
  pelvic lymphedema aquatic low balance falls drug drugs radiation clinical anatomic molecular neuromuscular
  orthopaedic orthopedic podiatric pediatric internal surgical medical general gi ob gyn obgyn ent urgent primary
  inpatient outpatient nursing skilled assisted home hospice mental behavioral outpt inpt womens mens childrens
  cardiology gastroenterology dermatology neurology oncology urology nephrology pulmonology rheumatology
  endocrinology ophthalmology psychiatry gynecology obstetrics hematology otolaryngology therapy rehab infusion
  note report reports recs recommendations plan history exam review past ortho neuro cardio pulm heme onc derm uro
  endo rheum nephro psych peds gi vitamin hepatitis hep type part factor protein class grade stage phase schedule
  appendix strep`);
/** Verbs that start a sentence before a department ("Appreciate Cardiology recs"): never part of a facility name. */
const LEADING_VERBS = wordSet(`
  consult consulted appreciate appreciated call called page paged notify notified discuss discussed defer deferred
  contact contacted refer referred follow see seen ask asked recommend recommended obtain obtained order ordered
  await awaiting involve involved update updated inform informed message messaged email emailed fax faxed send
  sent schedule scheduled arrange arranged per continue continued start started resume resumed check please hold
  spoke visited visit attends attended`);
/** Words before a facility name that make a capitalised common word before a specialty part of a name. */
const FACILITY_CUES = wordSet('at from to with via by');
const LEADING_NOISE = (key: string): boolean => key === 'the' || FUNCTION_WORDS.has(key) || LEADING_VERBS.has(key);
/** "Mercy Hospital Monday" does not run on into the date. */
const CALENDAR_WORDS = wordSet(`
  january february march april may june july august september october november december jan feb mar apr jun jul
  aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday`);
/** Pharmacy chains written without a facility word ("picked up at CVS"). */
const KNOWN_PHARMACIES = /\b(?:CVS|Walgreens|WALGREENS|Rite[- ]Aid|RITE[- ]AID|Duane Reade)\b/g;
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
    if (/^(?:['’]s)?[ \t]{1,2}(?:&[ \t]{1,2})?$/.test(gap) || gap === '-' || gap === '&') return true;
    if (gap === '/' && this.key(i - 1) === 'ob') return true;
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
      const paired = i > 0 && PAIR_ENDS.has(key) ? `${this.key(i - 1)} ${key}` : '';
      const strong = STRONG_ANCHORS.has(key) || STRONG_PAIRS.has(paired);
      if (!strong && !WEAK_ANCHORS.has(key) && !WEAK_PAIRS.has(paired)) continue;
      // "Labs:", "Pharmacy:" and "Hospital course:" are section headings.
      if (/^[ \t]{0,2}:/.test(this.text.slice(this.end(i), this.end(i) + 3))) continue;
      // "Past Medical History", "Urine Drug Screen": a describing anchor before another capitalised word is a heading.
      if (!strong && ADJECTIVE_ANCHORS.has(key) && this.headingContinues(i + 1)) continue;
      this.facilityAround(i, strong);
    }
    KNOWN_PHARMACIES.lastIndex = 0;
    for (let match = KNOWN_PHARMACIES.exec(this.text); match !== null; match = KNOWN_PHARMACIES.exec(this.text)) {
      this.report(match.index, match.index + match[0].length, 'FACILITY', 0.75);
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
    while (first < anchor && (CONNECTORS.has(this.key(first)) || LEADING_NOISE(this.key(first)))) first += 1;
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
    if (last === anchor && this.companySuffixAt(anchor + 1)) last = anchor + 1;
    if (!this.distinctive(first, last, anchor, strong)) return;
    this.report(this.begin(first), this.end(last), 'FACILITY', strong ? 0.85 : 0.7);
  }

  /** Word i is capitalised, on the same line as the word before it, and no part of a practice name. */
  private headingContinues(i: number): boolean {
    if (i >= this.words.count || !this.capitalised(i) || !this.joined(i)) return false;
    const key = this.key(i);
    return !WEAK_ANCHORS.has(key) && !STRONG_ANCHORS.has(key) && !COMPANY_SUFFIXES.has(key);
  }

  /** "Summit Cardiology, PC", "Harbor Drug Co.": a legal form or "Store" right after the facility word. */
  private companySuffixAt(i: number): boolean {
    if (i >= this.words.count || !this.capitalised(i) || !COMPANY_SUFFIXES.has(this.key(i))) return false;
    return /^,?[ \t]{1,2}$/.test(this.text.slice(this.end(i - 1), this.begin(i)));
  }

  private distinctive(first: number, last: number, anchor: number, strong: boolean): boolean {
    for (let j = first; j <= last; j += 1) {
      if (j === anchor || !this.capitalised(j)) continue;
      const key = this.key(j);
      if (GENERIC_WORDS.has(key) || key.length < 2 || LEADING_NOISE(key)) continue;
      // "Methodist Hospital", "Pennsylvania Hospital": after a hospital word, religions and places name it too.
      if (strong) return true;
      if (this.clinicalWord(key)) continue;
      if (!isCommonWord(key) || inNameLists(key) || US_CITIES.has(key)) return true;
      // A capitalised everyday word names a practice mid-sentence ("referred to Summit Orthopedics"), on a line of
      // its own (a letterhead) or after "at"/"from"; at a sentence start it is too often a verb or a heading.
      if (this.shape(j) === WordShape.Title && !this.sentenceInitial(first)) return true;
      if (this.cued(first) || this.standalone(first, last)) return true;
    }
    return false;
  }

  /** Clinical vocabulary ("Palliative", "Telemetry"); the places in that list (states, cities) still name a facility. */
  private clinicalWord(key: string): boolean {
    return NON_NAME_WORDS.has(key) && !STATE_NAME_WORDS.has(key) && !US_CITIES.has(key);
  }

  /** True at the start of the text, a line or a sentence, or after a colon. */
  private sentenceInitial(i: number): boolean {
    let at = this.begin(i) - 1;
    while (at >= 0 && (this.text.charCodeAt(at) === 32 || this.text.charCodeAt(at) === 9)) at -= 1;
    return at < 0 || !/[A-Za-z0-9,\u00C0-\u024F]/.test(this.text.charAt(at));
  }

  private cued(first: number): boolean {
    return (
      first > 0 &&
      FACILITY_CUES.has(this.key(first - 1)) &&
      /^[ \t]{1,2}$/.test(this.text.slice(this.end(first - 1), this.begin(first)))
    );
  }

  /** The name is a line of its own or a field value: a letterhead, a signature block, "Pharmacy: HARBOR DRUG". */
  private standalone(first: number, last: number): boolean {
    // Only the last 40 characters are read, so a long line without breaks costs no more than a short one.
    const from = Math.max(0, this.begin(first) - 40);
    const before = this.text.slice(from, this.begin(first));
    if (!/(?:^|\n)[ \t]*$|:[ \t]*$/.test(before) || (from > 0 && /^[ \t]*$/.test(before))) return false;
    return /^[ \t]*(?:$|\r?\n|[,|(–-]|[ \t]{2})/.test(this.text.slice(this.end(last), this.end(last) + 3));
  }
}

export const facilityRule: PhiRule = {
  name: 'care-facilities',
  types: ['FACILITY'],
  find(input, report) {
    new FacilityFinder(input.text, input.words(), report).run();
  },
};
