// Finds people's names: after cues (titles, relatives, roles, field labels, sign-offs, credentials), as runs of
// dictionary names, as "Last, First", and again wherever a name already found in the document recurs.
import {
  ADDRESS_VERBS,
  AMBIGUOUS_CREDENTIALS,
  AMBIGUOUS_UPPER_TITLES,
  CREDENTIALS,
  EPONYM_HEADS,
  GENERATIONAL_SUFFIXES,
  GIVEN_NAMES_ALSO_PLACES,
  GREETINGS,
  NAME_FIELD_LABELS,
  NAME_PARTICLES,
  NAME_TITLES,
  NON_PERSON_FIELD_WORDS,
  NOT_ADDRESSEES,
  PHRASE_CUES,
  RELATION_CUES,
  ROLE_CUES,
  ROLE_TITLES,
  SIGN_OFFS,
} from './name-lexicon.ts';
import {
  inNameLists,
  isEnglishWord,
  isFunctionWord,
  isGivenName,
  isSurname,
  NameClass,
  nameWordClassOf,
  WordShape,
  wordShape,
} from './name-word-class.ts';
import type { PhiRule, SpanSink } from './phi-rule.ts';
import { US_CITIES } from './word-lists/us-cities.ts';
import type { WordTokens } from './word-tokens.ts';

/** Phrase cues weak enough ("by", "with") that the word after them must be in a name list. */
const WEAK_PHRASE_CUES = new Set(['by', 'with', 'per', 'regarding', 're']);
/** Longest name taken after one cue, in words (particles and initials included). */
const MAX_NAME_WORDS = 5;
/** Names in one list after a cue ("cc: Dr. A, B and C"). */
const MAX_LISTED_NAMES = 6;

/** Every word that can start a cue, checked first so that most words cost one look-up. */
const CUE_WORDS: ReadonlySet<string> = new Set([
  ...NAME_TITLES,
  ...RELATION_CUES,
  ...ROLE_CUES,
  ...PHRASE_CUES,
  ...SIGN_OFFS,
  ...GREETINGS,
  ...ADDRESS_VERBS,
  'is',
  'am',
  'im',
  'for',
  'to',
]);

/** "talk to maria", "spoke to Jose": verbs whose "to" introduces a person. */
const TALK_VERBS = new Set(['talk', 'talked', 'talking', 'speak', 'spoke', 'speaking']);
/** Greetings that need "good" before them. */
const TIMES_OF_DAY = new Set(['morning', 'afternoon', 'evening']);
/** What may follow a lone name in a greeting or a signature: punctuation, a line end, the end of the text. */
const NAME_END = /^[ \t]{0,2}(?:[,!.?:;)\r\n]|[-–—][ \t]|$)/;
/** A signature line: "-- maria", "— Dakota R." (the name must be all that follows the dash on the line). */
const DASH_SIGNATURE = /(?:--|—|–|~)[ \t]{0,2}(?=[A-Za-z\u00C0-\u024F])/g;
/** What may stand before the dash of a signature on its line (a newline stands in for the start of the text). */
const LINE_INDENT = /\n[ \t]{0,8}$/;

/** What follows a field label: a colon, perhaps after a number sign ("Fax #:"). */
const FIELD_LABEL_END = /^(?: ?#)? ?:/;

const SCORE = { title: 0.95, field: 0.9, credential: 0.9, cue: 0.85, run: 0.85, lastFirst: 0.8 } as const;

interface Capture {
  /** Titles and field labels: the word after them is a name even if it is also a calendar or clinical word. */
  readonly trusted?: boolean;
  /** Lowest class accepted for the first word (title-case). */
  readonly minClass: NameClass;
  /** Lowest class accepted for a lower-case first word; undefined when lower case is not accepted. */
  readonly minLowerClass?: NameClass;
  readonly score: number;
  /** "SMITH, JOHN" after a field label. */
  readonly allowComma?: boolean;
  /** An English word in no name list is not taken even in title case ("Nurse Safety"). */
  readonly rejectsPlainWords?: boolean;
}

const TITLE_CUE: Capture = {
  trusted: true,
  minClass: NameClass.Never,
  minLowerClass: NameClass.Unknown,
  score: SCORE.title,
};
/** "Nurse Ratched", "doctor nguyen", but not "Nurse Safety" or "the doctor will": a role word needs a name-like word. */
const ROLE_TITLE_CUE: Capture = {
  trusted: true,
  minClass: NameClass.Never,
  minLowerClass: NameClass.AmbiguousName,
  score: SCORE.title,
  rejectsPlainWords: true,
};
const UPPER_TITLE_CUE: Capture = { trusted: true, minClass: NameClass.CommonName, score: SCORE.title };
const FIELD_CUE: Capture = {
  trusted: true,
  minClass: NameClass.Unknown,
  minLowerClass: NameClass.AmbiguousName,
  score: SCORE.field,
  allowComma: true,
};
const STRONG_CUE: Capture = { minClass: NameClass.Unknown, minLowerClass: NameClass.AmbiguousName, score: SCORE.cue };
const WEAK_CUE: Capture = { minClass: NameClass.CommonName, minLowerClass: NameClass.StrongName, score: SCORE.cue };
const LIST_CUE: Capture = { minClass: NameClass.CommonName, score: SCORE.cue };

class NameFinder {
  private readonly count: number;
  private readonly shapes: Int8Array;
  private readonly classes: Int8Array;
  /** 1 where a token is inside a reported name. */
  private readonly named: Uint8Array;
  /** Keys of names found with a cue or a strong run, and whether they were seen in lower case. */
  private readonly memory = new Map<string, boolean>();

  constructor(
    private readonly text: string,
    private readonly words: WordTokens,
    private readonly report: SpanSink,
  ) {
    this.count = words.count;
    this.shapes = new Int8Array(this.count).fill(-1);
    this.classes = new Int8Array(this.count).fill(-1);
    this.named = new Uint8Array(this.count);
  }

  run(): void {
    this.findCuedNames();
    this.findLastFirst();
    this.findRuns();
    this.findGivenNamePairs();
    this.findRecurrences();
  }

  // --- token features -------------------------------------------------------------------------------------------

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
    let shape = this.shapes[i] ?? -1;
    if (shape < 0) {
      shape = wordShape(this.text, this.begin(i), this.end(i));
      this.shapes[i] = shape;
    }
    return shape as WordShape;
  }

  private cls(i: number): NameClass {
    let cls = this.classes[i] ?? -1;
    if (cls < 0) {
      cls = nameWordClassOf(this.text.slice(this.begin(i), this.end(i)), this.key(i));
      this.classes[i] = cls;
    }
    return cls as NameClass;
  }

  /** Text between token i-1 and token i (from the end of i-1 as stored, so a possessive `'s` is in the gap). */
  private gapBefore(i: number): string {
    const from = i > 0 ? this.end(i - 1) : 0;
    const to = this.begin(i);
    return to - from > 12 ? this.text.slice(to - 12, to) : this.text.slice(from, to);
  }

  private isCapitalised(i: number): boolean {
    const shape = this.shape(i);
    return shape === WordShape.Title || shape === WordShape.Upper || shape === WordShape.Initial;
  }

  /** True at the start of the text, a line, a sentence or a list item: capitals there prove nothing. */
  private sentenceInitial(i: number): boolean {
    let at = this.begin(i) - 1;
    while (at >= 0 && (this.text.charCodeAt(at) === 32 || this.text.charCodeAt(at) === 9)) at -= 1;
    if (at < 0) return true;
    const c = this.text.charAt(at);
    return !/[A-Za-z0-9,\u00C0-\u024F]/.test(c);
  }

  private isCredential(i: number): boolean {
    if (i >= this.count) return false;
    const key = this.key(i);
    if (!CREDENTIALS.has(key)) return false;
    // Lower-case "do", "ms", "pa" are words; credentials are written in capitals ("MD", "PhD", "PA-C").
    return this.shape(i) !== WordShape.Lower && !(this.shape(i) === WordShape.Title && key.length <= 2);
  }

  private isInitial(i: number): boolean {
    return this.shape(i) === WordShape.Initial && this.key(i) !== 'i';
  }

  // --- reporting ------------------------------------------------------------------------------------------------

  private emit(first: number, last: number, score: number): void {
    // "Dakota R." keeps the full stop of its final initial, so the whole written name is covered.
    const stop = this.isInitial(last) && this.text.charCodeAt(this.end(last)) === 46 ? 1 : 0;
    this.report(this.begin(first), this.end(last) + stop, 'NAME', score);
    for (let i = first; i <= last; i += 1) {
      this.named[i] = 1;
      const key = this.key(i);
      if (key.length < 2 || this.isInitial(i) || NAME_PARTICLES.has(key) || GENERATIONAL_SUFFIXES.has(key)) continue;
      if (this.cls(i) < NameClass.Unknown) continue;
      const lower = this.shape(i) === WordShape.Lower;
      this.memory.set(key, (this.memory.get(key) ?? false) || lower);
    }
  }

  // --- cues -----------------------------------------------------------------------------------------------------

  /** Accepts the words from `first` on as a name when the cue allows them; returns the last word taken, or -1. */
  private capture(first: number, cue: Capture): number {
    if (first >= this.count) return -1;
    if (this.isFunctionOrCredential(first) || this.opensGreeting(first)) return -1;
    const shape = this.shape(first);
    const cls = this.cls(first);
    if (shape === WordShape.Lower) {
      if (cue.minLowerClass === undefined || cls < cue.minLowerClass) return -1;
    } else if (shape === WordShape.Other) return -1;
    else if (shape !== WordShape.Initial && cls < cue.minClass && !(cue.trusted && inNameLists(this.key(first)))) {
      return -1;
    }
    if (
      cue.rejectsPlainWords &&
      shape !== WordShape.Initial &&
      !inNameLists(this.key(first)) &&
      this.plainWord(first)
    ) {
      return -1;
    }
    // "with MI", "per ED": short capitals after a plain cue are abbreviations.
    if (!cue.trusted && shape === WordShape.Upper && this.end(first) - this.begin(first) <= 3) return -1;
    if (!cue.trusted && shape === WordShape.Title && this.opensTitleCasePhrase(first)) return -1;
    if (this.followedByEponymHead(first)) return -1;

    const lowerName = shape === WordShape.Lower;
    let last = first;
    let commaUsed = false;
    for (let next = first + 1; next < this.count && next - first < MAX_NAME_WORDS; next += 1) {
      const gap = this.gapBefore(next);
      const afterInitial = this.isInitial(next - 1);
      let simple = gap === ' ' || gap === '  ' || (afterInitial && (gap === '. ' || gap === '.'));
      if (!simple && cue.allowComma && !commaUsed && next === first + 1 && /^, ?$/.test(gap)) {
        simple = true;
        commaUsed = true;
      }
      if (!simple || !this.continuesName(next, lowerName)) break;
      last = next;
    }
    while (last > first && NAME_PARTICLES.has(this.key(last)) && this.shape(last) === WordShape.Lower) last -= 1;
    if (shape === WordShape.Initial && last === first) return -1;
    this.emit(first, last, cue.score);
    return last;
  }

  /** "Doctor: Good morning": a greeting opens the speaker's turn. */
  private opensGreeting(i: number): boolean {
    return this.key(i) === 'good' && i + 1 < this.count && TIMES_OF_DAY.has(this.key(i + 1));
  }

  /**
   * "RE: Prior Authorization Request": an English word that is no given name, followed by an English word in title
   * case, opens a heading or a subject line rather than a name.
   */
  private opensTitleCasePhrase(i: number): boolean {
    const next = i + 1;
    if (next >= this.count || isGivenName(this.key(i)) || !isEnglishWord(this.key(i))) return false;
    if (this.gapBefore(next) !== ' ' || this.shape(next) !== WordShape.Title) return false;
    return !inNameLists(this.key(next)) && this.plainWord(next);
  }

  private isFunctionOrCredential(i: number): boolean {
    const key = this.key(i);
    return (isFunctionWord(key) && this.shape(i) !== WordShape.Initial) || this.isCredential(i);
  }

  /** Whether word i can continue a name begun before it. */
  private continuesName(i: number, lowerName: boolean): boolean {
    if (this.isFunctionOrCredential(i)) return false;
    const key = this.key(i);
    const shape = this.shape(i);
    if (shape === WordShape.Lower) {
      if (NAME_PARTICLES.has(key)) return i + 1 < this.count && this.shape(i + 1) !== WordShape.Lower;
      // "my name is grace mbeki": after a given name, a word in no list is the surname.
      return lowerName && (this.cls(i) >= NameClass.AmbiguousName || this.surnameAfterGiven(i));
    }
    if (shape === WordShape.Initial || GENERATIONAL_SUFFIXES.has(key)) return true;
    if (shape === WordShape.Other) return false;
    if (this.followedByEponymHead(i)) return false;
    return this.cls(i) >= NameClass.Unknown || inNameLists(key) || this.surnameAfterGiven(i);
  }

  /** A given name, including those that are also places ("Dakota", "Georgia"); never a function word. */
  private givenish(i: number): boolean {
    if (i < 0 || i >= this.count) return false;
    const key = this.key(i);
    if (GIVEN_NAMES_ALSO_PLACES.has(key)) return true;
    return isGivenName(key) && key.length >= 2 && this.cls(i) >= NameClass.CommonName;
  }

  /**
   * Word i, right after a given name, can be a surname missing from the lists: in no list and no English word
   * ("Okonkwo"), or only taken for one by its ending ("Vukovic", "Xing").
   */
  private surnameAfterGiven(i: number): boolean {
    if (i < 1 || !this.givenish(i - 1) || this.gapBefore(i) !== ' ') return false;
    const cls = this.cls(i);
    if (cls === NameClass.Unknown) return true;
    return cls === NameClass.Word && this.shape(i) === WordShape.Title && !this.plainWord(i);
  }

  /** An English word or clinical abbreviation (as opposed to a word only classed Word by its ending). */
  private plainWord(i: number): boolean {
    const key = this.key(i);
    return isEnglishWord(key) || key.length < 2 || isFunctionWord(key);
  }

  private followedByEponymHead(i: number): boolean {
    const next = i + 1;
    if (next >= this.count) return false;
    if (this.begin(next) - this.end(i) > 4) return false;
    return EPONYM_HEADS.has(this.key(next)) && this.shape(next) !== WordShape.Upper;
  }

  /** Captures a name and any names listed after it ("cc: Dr. Adams, Dr. Baker and Carla Diaz"). */
  private captureList(cueEnd: number, cue: Capture): void {
    let first = cueEnd;
    // "Chaplain Rev. Thomas Greene", "son, Dr. William Hartley": a title after the cue introduces the name.
    if (first + 1 < this.count && NAME_TITLES.has(this.key(first)) && /^\.? ?$/.test(this.gapBefore(first + 1))) {
      first += 1;
    }
    let last = this.capture(first, cue);
    for (let listed = 1; last >= 0 && listed < MAX_LISTED_NAMES; listed += 1) {
      let next = last + 1;
      if (next >= this.count) return;
      const gap = this.text.slice(this.end(last), this.begin(next));
      if (/^\.?\s*(?:[,;&/]|\band\b)\s*$/.test(gap)) {
        // separator only
      } else if (/^\.?,?\s+$/.test(gap) && (this.key(next) === 'and' || this.key(next) === 'or')) next += 1;
      else return;
      if (next < this.count && NAME_TITLES.has(this.key(next)) && /^\.? ?$/.test(this.gapBefore(next + 1))) next += 1;
      if (next >= this.count) return;
      last = this.capture(next, LIST_CUE);
    }
  }

  private findCuedNames(): void {
    for (let i = 0; i + 1 < this.count; i += 1) {
      const key = this.key(i);
      const afterColon = this.colonAfter(i);
      if (!afterColon && !CUE_WORDS.has(key)) continue;
      // "for" and "to" are cues only after "ask" and "talk": checked first, as they are frequent.
      if (!afterColon && (key === 'for' || key === 'to')) {
        if (i > 0 && (key === 'for' ? this.key(i - 1).startsWith('ask') : TALK_VERBS.has(this.key(i - 1)))) {
          this.findTold(i);
        }
        continue;
      }
      const gap = this.gapBefore(i + 1);
      const role = ROLE_TITLES.has(key);
      if (NAME_TITLES.has(key) && (role ? /^[ \t]{1,2}$/ : /^\.?[ \t]{0,2}$/).test(gap) && gap.length > 0) {
        const upperTitle = this.shape(i) === WordShape.Upper && AMBIGUOUS_UPPER_TITLES.has(key);
        this.captureList(i + 1, upperTitle ? UPPER_TITLE_CUE : role ? ROLE_TITLE_CUE : TITLE_CUE);
      } else if (
        (RELATION_CUES.has(key) || ROLE_CUES.has(key)) &&
        /^(?:[ \t]{1,2}|,[ \t]?|[ \t]?[:-][ \t]?)$/.test(gap)
      ) {
        this.captureList(i + 1, STRONG_CUE);
      } else if (PHRASE_CUES.has(key) && /^:?[ \t]{1,2}$|^:$/.test(gap)) {
        // "Signed by: Rajesh Venkataraman": a colon makes even "by" a field label.
        const weak = WEAK_PHRASE_CUES.has(key) && !gap.includes(':');
        this.captureList(i + 1, weak ? WEAK_CUE : STRONG_CUE);
      } else if ((key === 'is' || key === 'am') && i > 0 && this.introducesName(i) && /^[ \t]{1,2}$/.test(gap)) {
        // "this is ngozi, calling about...": a name in no list, or a place-like given name, alone before a comma.
        if (this.named[i + 1] === 0) this.captureList(i + 1, STRONG_CUE);
        if (this.named[i + 1] === 0) this.captureAddressee(i + 1, this.key(i - 1).startsWith('name'));
      } else if (key === 'im' && /^[ \t]$/.test(gap)) {
        this.capture(i + 1, WEAK_CUE);
      }
      if (afterColon && /:[ \t]*$/.test(gap) && this.isNameField(i)) this.captureList(i + 1, FIELD_CUE);
      else if (SIGN_OFFS.has(key) && this.startsLineAfterSignOff(i + 1)) {
        if (this.capture(i + 1, STRONG_CUE) < 0) this.captureAddressee(i + 1, true);
      }
      if (GREETINGS.has(key)) this.findGreeted(i);
      else if (ADDRESS_VERBS.has(key)) this.findTold(i);
    }
    this.findCredentialNames();
    this.findSignatures();
  }

  /** "Hi Dakota,", "Thanks, Grace", "thank you maria!", "Good morning Chidi": the person greeted or thanked. */
  private findGreeted(cue: number): void {
    const key = this.key(cue);
    if (TIMES_OF_DAY.has(key) && (cue === 0 || this.key(cue - 1) !== 'good')) return;
    let next = cue + 1;
    // "thank you, Maria": the name follows "you".
    if (key === 'thank' && next < this.count && this.key(next) === 'you') next += 1;
    if (next >= this.count || !/^[,!]?[ \t]{1,2}$|^,$/.test(this.gapBefore(next))) return;
    // "Dear Mrs. Ortiz" is the title's; "Dear Patient" is no name.
    if (NAME_TITLES.has(this.key(next))) return;
    this.captureAddressee(next, false);
  }

  /** "ask for maria", "tell Jose I called", "talk to ana": a person named after a verb of speaking. */
  private findTold(cue: number): void {
    const key = this.key(cue);
    if (key === 'for' && (cue === 0 || !this.key(cue - 1).startsWith('ask'))) return;
    if (key === 'to' && (cue === 0 || !TALK_VERBS.has(this.key(cue - 1)))) return;
    const next = cue + 1;
    if (next >= this.count || !/^[ \t]{1,2}$/.test(this.gapBefore(next))) return;
    if (NAME_TITLES.has(this.key(next)) || NOT_ADDRESSEES.has(this.key(next))) return;
    const lower = this.shape(next) === WordShape.Lower;
    // Lower case needs a listed given name; a capital also takes a name in no list ("Tell Chidi").
    const accepted = lower
      ? this.givenish(next) &&
        (this.cls(next) >= NameClass.AmbiguousName || GIVEN_NAMES_ALSO_PLACES.has(this.key(next)))
      : this.isCapitalised(next) &&
        !this.isInitial(next) &&
        (this.givenish(next) || this.cls(next) >= NameClass.Unknown);
    if (accepted && !this.isFunctionOrCredential(next)) this.emitWithSurname(next);
  }

  /**
   * The word at `first` is a person addressed by a greeting, a sign-off or a signature dash when it is a given name
   * or (before punctuation or a line end) a word in no list ("Hi Chidi,"). `certain` cues (a sign-off line, "my
   * name is") take the name whatever follows it.
   */
  private captureAddressee(first: number, certain: boolean): void {
    if (first >= this.count || this.isFunctionOrCredential(first)) return;
    const key = this.key(first);
    const shape = this.shape(first);
    if (shape === WordShape.Other || shape === WordShape.Initial || NOT_ADDRESSEES.has(key)) return;
    // A lower-case given name that is also a common word ("hope", "will") needs a signature line of its own.
    const given =
      this.givenish(first) &&
      (shape !== WordShape.Lower ||
        certain ||
        this.cls(first) >= NameClass.AmbiguousName ||
        GIVEN_NAMES_ALSO_PLACES.has(key));
    if (!given && (this.cls(first) !== NameClass.Unknown || key.length < 3)) return;
    const last = this.lastNameWord(first);
    if (!given && !certain && !NAME_END.test(this.text.slice(this.end(last), this.end(last) + 3))) return;
    this.emit(first, last, SCORE.cue);
  }

  /** Emits word `first` and a surname after it if there is one; returns the last word taken. */
  private emitWithSurname(first: number): number {
    const last = this.lastNameWord(first);
    this.emit(first, last, SCORE.cue);
    return last;
  }

  /** The last word of a name that starts at `first`: a surname or an initial may follow a given name. */
  private lastNameWord(first: number): number {
    const lowerName = this.shape(first) === WordShape.Lower;
    let last = first;
    for (let next = first + 1; next < this.count && next - first < 3; next += 1) {
      const gap = this.gapBefore(next);
      const simple = gap === ' ' || (this.isInitial(next - 1) && (gap === '. ' || gap === '.'));
      if (!simple || !this.continuesName(next, lowerName)) break;
      if (!lowerName && this.shape(next) === WordShape.Lower) break;
      last = next;
    }
    return last;
  }

  /** Whether a colon follows word i (after at most two spaces): "Name: ...". */
  private colonAfter(i: number): boolean {
    let at = this.end(i);
    if (this.text.charCodeAt(at) === 32) at += 1;
    if (this.text.charCodeAt(at) === 32) at += 1;
    return this.text.charCodeAt(at) === 58;
  }

  /** "my name is", "this is", "I am": the next words are a name (transcripts and portal messages). */
  private introducesName(is: number): boolean {
    const before = this.key(is - 1);
    return before === 'name' || before === 'this' || before === 'i' || before === 'names';
  }

  /** Token i ends a field label ("Patient Name", "Referring physician", "Guarantor") followed by a colon. */
  private isNameField(i: number): boolean {
    if (!NAME_FIELD_LABELS.has(this.key(i))) return false;
    for (let j = i; j >= 0 && i - j < 4; j -= 1) {
      if (NON_PERSON_FIELD_WORDS.has(this.key(j))) return false;
      if (j === i) continue;
      if (/[\n\r|;]/.test(this.text.slice(this.end(j), this.begin(j + 1)))) break;
    }
    return true;
  }

  /** Token i is the first word of a line that follows a letter closing ("Sincerely,"). */
  private startsLineAfterSignOff(i: number): boolean {
    if (i === 0 || !SIGN_OFFS.has(this.key(i - 1))) return false;
    const gap = this.text.slice(this.end(i - 1), this.begin(i));
    if (!/^[,.!]?[ \t]*\r?\n[\s]{0,40}$/.test(gap)) return false;
    // The closing must be the whole line ("Best regards," but not "the best thing").
    const lineStart = this.text.lastIndexOf('\n', this.begin(i - 1)) + 1;
    const line = this.text
      .slice(lineStart, this.end(i - 1))
      .trim()
      .toLowerCase();
    return line.length <= 24 && /^(?:yours |best |warm |kind |with |many )?[a-z]+$/.test(line);
  }

  /** Names before a credential: "Jane Doe, MD", "J. Smith RN", "Mary Ann Lee, PA-C". */
  private findCredentialNames(): void {
    for (let c = 1; c < this.count; c += 1) {
      if (!this.isCredential(c)) continue;
      const gap = this.gapBefore(c);
      if (!/^,? ?$/.test(gap) || gap.length === 0) continue;
      let first = c;
      let strongest: NameClass = NameClass.Never;
      let nameWords = 0;
      for (let j = c - 1; j >= 0 && c - j <= 4; j -= 1) {
        const shape = this.shape(j);
        if (shape !== WordShape.Title && shape !== WordShape.Upper && shape !== WordShape.Initial) break;
        if (this.isFunctionOrCredential(j)) break;
        if (shape !== WordShape.Initial && this.cls(j) < NameClass.Unknown && !inNameLists(this.key(j))) break;
        first = j;
        if (shape !== WordShape.Initial) {
          strongest = Math.max(strongest, this.cls(j)) as NameClass;
          nameWords += 1;
        }
        const before = this.gapBefore(j);
        if (!(before === ' ' || (j > 0 && this.isInitial(j - 1) && before === '. '))) break;
      }
      if (first === c) continue;
      // "Baltimore, MD" or "Silver Spring, MD" is a place: an ambiguous credential needs a listed name or two words
      // that are not a listed city before it.
      if (AMBIGUOUS_CREDENTIALS.has(this.key(c))) {
        if (this.endsWithCity(first, c - 1)) continue;
        if (strongest < NameClass.AmbiguousName && nameWords < 2) continue;
      }
      while (first < c - 1 && NAME_TITLES.has(this.key(first))) first += 1;
      this.emit(first, c - 1, SCORE.credential);
    }
  }

  private endsWithCity(first: number, last: number): boolean {
    let phrase = '';
    for (let j = last; j >= first; j -= 1) {
      phrase = phrase ? `${this.key(j)} ${phrase}` : this.key(j);
      if (US_CITIES.has(phrase)) return true;
    }
    return false;
  }

  // --- dictionary patterns ----------------------------------------------------------------------------------------

  /** "SMITH, JOHN A" and "Smith, J." without a cue (headers, CSV rows, signature lines). */
  private findLastFirst(): void {
    for (let i = 0; i + 1 < this.count; i += 1) {
      // A comma right after the word comes first: it is the cheapest test and rules out most words.
      if (this.text.charCodeAt(this.end(i)) !== 44 || !this.isCapitalised(i) || this.isInitial(i)) continue;
      const surnameKey = this.key(i);
      const listed = isSurname(surnameKey) && this.cls(i) >= NameClass.CommonName;
      // "OKONKWO, ADAEZE" or "Vukovic, Milan": a surname in no list, vouched for by a listed given name after it.
      const unlisted =
        !listed && (this.cls(i) === NameClass.Unknown || (this.cls(i) === NameClass.Word && !this.plainWord(i)));
      if (!listed && !unlisted) continue;
      const gap = this.gapBefore(i + 1);
      if (gap !== ', ' && gap !== ',') continue;
      const given = i + 1;
      if (this.shape(given) !== this.shape(i) && !this.isInitial(given)) continue;
      let last = given;
      if (unlisted) {
        const givenKey = this.key(given);
        const vouched =
          this.givenish(given) &&
          (this.cls(given) >= NameClass.AmbiguousName || GIVEN_NAMES_ALSO_PLACES.has(givenKey)) &&
          !this.followedByEponymHead(given);
        if (!vouched || this.isInitial(given)) continue;
        const middle = given + 1;
        if (middle < this.count && this.isInitial(middle) && /^ $/.test(this.gapBefore(middle))) last = middle;
      } else if (this.isInitial(given)) {
        if (this.cls(i) < NameClass.AmbiguousName || !/^\.(?:$|[ \t,;\n])/.test(this.text.slice(this.end(given)))) {
          continue;
        }
      } else {
        const givenClass = this.cls(given);
        const strongEnough =
          isGivenName(this.key(given)) &&
          (givenClass === NameClass.StrongName ||
            (givenClass === NameClass.AmbiguousName && this.cls(i) === NameClass.StrongName));
        if (!strongEnough || this.followedByEponymHead(given)) continue;
        const middle = given + 1;
        if (middle < this.count && this.isInitial(middle) && /^ $/.test(this.gapBefore(middle))) last = middle;
      }
      this.emit(i, last, SCORE.lastFirst);
    }
  }

  /**
   * A listed given name and the capitalised word after it: "Chidi Okonkwo"-style surnames in no list ("Maria
   * Iheanacho"), given names that are also places ("Dakota Nguyen"), and a given name with an initial ("Grace S.").
   */
  private findGivenNamePairs(): void {
    for (let i = 0; i + 1 < this.count; i += 1) {
      const j = i + 1;
      const shape = this.shape(i);
      if (shape === WordShape.Lower) {
        this.lowerCasePair(i);
        continue;
      }
      if (shape !== WordShape.Title && shape !== WordShape.Upper) continue;
      if ((this.named[i] && this.named[j]) || !this.givenish(i) || this.isFunctionOrCredential(i)) continue;
      if (this.begin(j) - this.end(i) !== 1 || this.text.charCodeAt(this.end(i)) !== 32) continue;
      const place = GIVEN_NAMES_ALSO_PLACES.has(this.key(i));
      const givenClass = this.cls(i);
      // "Will", "May", "Mark" start sentences as words; they lead a name only mid-sentence.
      if (!place && givenClass === NameClass.CommonName && (this.sentenceInitial(i) || shape === WordShape.Upper)) {
        continue;
      }
      if (this.isInitial(j)) {
        if (this.text.charCodeAt(this.end(j)) === 46 && !this.named[j]) this.emit(i, j, 0.75);
        continue;
      }
      if (this.shape(j) !== shape || this.isFunctionOrCredential(j) || this.followedByEponymHead(j)) continue;
      if (EPONYM_HEADS.has(this.key(j)) || this.key(j).length < 2) continue;
      const surnameClass = this.cls(j);
      let surname = surnameClass === NameClass.Unknown;
      if (!surname && shape === WordShape.Title && surnameClass === NameClass.Word) surname = !this.plainWord(j);
      // A place-like given name before a listed surname, which the runs split at the place ("Dakota Nguyen").
      if (!surname && place) surname = isSurname(this.key(j)) && surnameClass === NameClass.StrongName;
      if (surname && (shape === WordShape.Title || givenClass >= NameClass.AmbiguousName || place)) {
        this.emit(i, j, 0.75);
      }
    }
  }

  /** "i saw maria gonzalez yesterday": a lower-case given name and surname, both names and neither an English word. */
  private lowerCasePair(i: number): void {
    const j = i + 1;
    if (j >= this.count || !isGivenName(this.key(i)) || !isSurname(this.key(j))) return;
    if (this.shape(j) !== WordShape.Lower || this.key(i).length < 3 || (this.named[i] && this.named[j])) return;
    if (this.cls(i) !== NameClass.StrongName || this.cls(j) !== NameClass.StrongName) return;
    if (this.begin(j) - this.end(i) !== 1 || this.text.charCodeAt(this.end(i)) !== 32) return;
    if (!this.followedByEponymHead(j)) this.emit(i, j, 0.6);
  }

  /** "-- maria", "— Dakota R.": a signature line after a dash, the name alone on it. */
  private findSignatures(): void {
    DASH_SIGNATURE.lastIndex = 0;
    for (let match = DASH_SIGNATURE.exec(this.text); match !== null; match = DASH_SIGNATURE.exec(this.text)) {
      const from = Math.max(0, match.index - 9);
      if (!LINE_INDENT.test(`${from === 0 ? '\n' : ''}${this.text.slice(from, match.index)}`)) continue;
      const i = this.tokenAt(match.index + match[0].length);
      if (i < 0) continue;
      const last = this.lastNameWord(i);
      const after = this.text.slice(this.end(last), this.end(last) + 4);
      if (/^\.?[ \t]*(?:\r?\n|$)/.test(after)) this.captureAddressee(i, true);
    }
  }

  /** The index of the token that begins at `offset`, or -1. */
  private tokenAt(offset: number): number {
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const begin = this.begin(middle);
      if (begin === offset) return middle;
      if (begin < offset) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /** Runs of capitalised words on one line, judged by the classes of their words. */
  private findRuns(): void {
    let i = 0;
    while (i < this.count) {
      if (this.named[i] || !this.isRunWord(i)) {
        i += 1;
        continue;
      }
      let last = i;
      while (last + 1 < this.count && !this.named[last + 1] && this.isRunWord(last + 1) && this.joins(last + 1)) {
        last += 1;
      }
      this.judgeRun(i, last);
      i = last + 1;
    }
  }

  private isRunWord(i: number): boolean {
    if (this.isCapitalised(i)) return this.key(i) !== 'i' && !this.isCredential(i);
    return this.shape(i) === WordShape.Lower && NAME_PARTICLES.has(this.key(i));
  }

  /** Word i follows word i-1 inside one name: one or two spaces, or an initial's full stop. */
  private joins(i: number): boolean {
    const gap = this.gapBefore(i);
    return gap === ' ' || gap === '  ' || (this.isInitial(i - 1) && (gap === '. ' || gap === '.'));
  }

  /** Splits a run at words that cannot be in a name and judges each piece. */
  private judgeRun(first: number, last: number): void {
    let start = first;
    for (let i = first; i <= last + 1; i += 1) {
      const breaks =
        i > last ||
        (!this.isInitial(i) &&
          this.shape(i) !== WordShape.Lower &&
          this.cls(i) < NameClass.Unknown &&
          !this.surnameAfterInitial(i)) ||
        EPONYM_HEADS.has(this.key(i));
      if (!breaks) continue;
      let a = start;
      let b = i - 1;
      while (a <= b && this.shape(a) === WordShape.Lower) a += 1;
      while (b >= a && this.shape(b) === WordShape.Lower) b -= 1;
      if (a <= b) this.judgePiece(a, b);
      start = i + 1;
    }
  }

  private judgePiece(first: number, b: number): void {
    if (this.followedByEponymHead(b)) return;
    let a = first;
    // "Saw Jane today": a very common word starting the sentence is not part of the name after it.
    const givenNext = a < b && this.cls(a + 1) === NameClass.StrongName && isGivenName(this.key(a + 1));
    if (givenNext && this.cls(a) === NameClass.CommonName && this.sentenceInitial(a)) a += 1;
    // A name has at most five words; a longer capitalised run is a heading or a list, judged word by word.
    const score = b - a < MAX_NAME_WORDS ? this.runScore(a, b) : 0;
    if (score > 0) this.emit(a, b, score);
    else this.judgeSingles(a, b);
  }

  /** The score of words a..b as one name of two or more words, or 0 when they are not one. */
  private runScore(a: number, b: number): number {
    let strong = 0;
    let ambiguous = 0;
    let unknown = 0;
    let initials = 0;
    let names = 0;
    for (let i = a; i <= b; i += 1) {
      if (this.isInitial(i)) {
        initials += 1;
        continue;
      }
      if (this.shape(i) === WordShape.Lower || GENERATIONAL_SUFFIXES.has(this.key(i))) continue;
      names += 1;
      // Two-letter words (Al, Li, AB) are too often abbreviations to anchor a name on their own.
      const cls = this.key(i).length < 3 ? Math.min(this.cls(i), NameClass.AmbiguousName) : this.cls(i);
      if (cls === NameClass.StrongName) strong += 1;
      else if (cls === NameClass.AmbiguousName) ambiguous += 1;
      else if (cls < NameClass.CommonName) unknown += 1;
    }
    if (names === 0 || names + initials < 2) return 0;
    if (strong >= 1 && unknown <= strong) return SCORE.run;
    if (initials >= 1 && names === 1 && (ambiguous === 1 || (unknown === 1 && this.initialHasStop(a, b)))) return 0.75;
    const titleCase = this.shape(a) !== WordShape.Upper;
    if (strong + ambiguous >= 1 && unknown === 0 && titleCase && !this.sentenceInitial(a)) return 0.6;
    // "Will Smith", "Mark Hall": a listed given name then a listed surname, even at a sentence start.
    const givenThenSurname = b - a === 1 && isGivenName(this.key(a)) && isSurname(this.key(b));
    if (names === 2 && ambiguous >= 1 && titleCase && givenThenSurname) return 0.55;
    return 0;
  }

  /** "John Q. Public": after a given name and a middle initial, any capitalised word is the surname. */
  private surnameAfterInitial(i: number): boolean {
    return (
      i >= 2 &&
      this.shape(i) === WordShape.Title &&
      this.cls(i) === NameClass.Word &&
      this.isInitial(i - 1) &&
      this.joins(i) &&
      isGivenName(this.key(i - 2)) &&
      this.cls(i - 2) >= NameClass.AmbiguousName
    );
  }

  private initialHasStop(a: number, b: number): boolean {
    for (let i = a; i <= b; i += 1) if (this.isInitial(i) && this.text.charAt(this.end(i)) === '.') return true;
    return false;
  }

  /** One name word alone: a strong name anywhere, an ambiguous one only mid-sentence among lower-case words. */
  private judgeSingles(a: number, b: number): void {
    for (let i = a; i <= b; i += 1) {
      if (this.isInitial(i) || this.shape(i) === WordShape.Lower) continue;
      const cls = this.cls(i);
      const shape = this.shape(i);
      if (this.followedByEponymHead(i)) continue;
      if (cls === NameClass.StrongName) {
        // Two-letter names (Al, Ed, Li) need a cue; a word before a colon is a field label, at a line start
        // ("Portal:") or further along a contact line ("Ph: ...  Fax #: ...").
        if (this.key(i).length < 3) continue;
        if (FIELD_LABEL_END.test(this.text.slice(this.end(i), this.end(i) + 4))) continue;
        const initial = this.sentenceInitial(i);
        if (shape === WordShape.Title) this.emit(i, i, initial ? 0.6 : 0.7);
        else if (shape === WordShape.Upper && this.key(i).length >= 4) this.emit(i, i, 0.55);
      } else if (cls === NameClass.AmbiguousName && shape === WordShape.Title && a === b) {
        const lowerBefore = i > 0 && this.shape(i - 1) === WordShape.Lower;
        const lowerAfter = i + 1 >= this.count || this.shape(i + 1) === WordShape.Lower;
        if (!this.sentenceInitial(i) && lowerBefore && lowerAfter) this.emit(i, i, 0.5);
      }
    }
  }

  /** Every later (or earlier) use of a name already found: "Mr. Brown ... Brown reports". */
  private findRecurrences(): void {
    if (this.memory.size === 0) return;
    let runStart = -1;
    let runEnd = -1;
    for (let i = 0; i < this.count; i += 1) {
      if (!this.recurs(i)) continue;
      if (runStart >= 0 && runEnd === i - 1 && this.joins(i)) {
        runEnd = i;
        continue;
      }
      if (runStart >= 0) this.report(this.begin(runStart), this.end(runEnd), 'NAME', 0.7);
      runStart = i;
      runEnd = i;
    }
    if (runStart >= 0) this.report(this.begin(runStart), this.end(runEnd), 'NAME', 0.7);
  }

  private recurs(i: number): boolean {
    if (this.named[i]) return false;
    const seenLower = this.memory.get(this.key(i));
    if (seenLower === undefined) return false;
    const shape = this.shape(i);
    if (shape === WordShape.Other) return false;
    if (shape === WordShape.Lower && (!seenLower || this.cls(i) < NameClass.AmbiguousName)) return false;
    return !this.followedByEponymHead(i);
  }
}

export const nameRule: PhiRule = {
  name: 'person-names',
  types: ['NAME'],
  find(input, report) {
    new NameFinder(input.text, input.words(), report).run();
  },
};
