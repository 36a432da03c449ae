/** Renders synthetic identifiers in the many ways US clinical text writes them, each with its gold span. */
import { type LabelledText, labelled, phi } from './labelled-text.ts';
import type { SeededRandom } from './seeded-random.ts';
import type { CalendarDate, Clinician, Person, PostalAddress } from './synthetic-cast.ts';

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const pad2 = (n: number) => String(n).padStart(2, '0');
const monthName = (date: CalendarDate) => MONTHS[date.month - 1] ?? 'January';
const monthAbbr = (date: CalendarDate) => monthName(date).slice(0, 3);

export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;

/** 0..999 in words ("ninety-two", "one hundred three"). */
export function numberWords(n: number): string {
  if (n < 20) return ONES[n] ?? String(n);
  if (n < 100) {
    const unit = n % 10;
    return `${TENS[Math.floor(n / 10)]}${unit === 0 ? '' : `-${ONES[unit]}`}`;
  }
  const rest = n % 100;
  return `${ONES[Math.floor(n / 100)]} hundred${rest === 0 ? '' : ` ${numberWords(rest)}`}`;
}

function ordinalWords(n: number): string {
  const irregular: Record<number, string> = {
    1: 'first',
    2: 'second',
    3: 'third',
    5: 'fifth',
    8: 'eighth',
    9: 'ninth',
    12: 'twelfth',
  };
  if (n < 20) return irregular[n] ?? `${numberWords(n)}th`.replace(/tth$/, 'th');
  const unit = n % 10;
  if (unit === 0) return `${numberWords(n).replace(/y$/, 'ie')}th`;
  return `${TENS[Math.floor(n / 10)]}-${ordinalWords(unit)}`;
}

function yearWords(year: number): string {
  if (year >= 2000 && year < 2010) return `two thousand ${year === 2000 ? '' : numberWords(year - 2000)}`.trim();
  const high = Math.floor(year / 100);
  const low = year % 100;
  return `${numberWords(high)} ${low === 0 ? 'hundred' : low < 10 ? `oh ${numberWords(low)}` : numberWords(low)}`;
}

export const DATE_STYLES = [
  'm/d/yyyy',
  'mm/dd/yyyy',
  'mm/dd/yy',
  'm-d-yyyy',
  'yyyy-mm-dd',
  'mm.dd.yyyy',
  'Month d, yyyy',
  'Mon d, yyyy',
  'Mon. d, yyyy',
  'd Month yyyy',
  'dd-Mon-yyyy',
  'ddMONyyyy',
  'Month dth',
  'dth of Month',
  'm/d',
  'Month yyyy',
  'mm/yyyy',
  'Mon yyyy',
  'yyyymmdd',
  'spoken',
] as const;
export type DateStyle = (typeof DATE_STYLES)[number];

/** Styles a clinician writes in running text; `yyyymmdd` (HL7) and `spoken` (transcripts) are used on purpose. */
export const WRITTEN_DATE_STYLES: readonly DateStyle[] = DATE_STYLES.filter((s) => s !== 'yyyymmdd' && s !== 'spoken');
/** Full dates only, for fields such as DOB where a partial date would be unusual. */
export const FULL_DATE_STYLES: readonly DateStyle[] = [
  'm/d/yyyy',
  'mm/dd/yyyy',
  'mm/dd/yy',
  'm-d-yyyy',
  'yyyy-mm-dd',
  'mm.dd.yyyy',
  'Month d, yyyy',
  'Mon d, yyyy',
  'd Month yyyy',
  'dd-Mon-yyyy',
  'ddMONyyyy',
];

export function dateText(date: CalendarDate, style: DateStyle): string {
  const { year, month, day } = date;
  switch (style) {
    case 'm/d/yyyy':
      return `${month}/${day}/${year}`;
    case 'mm/dd/yyyy':
      return `${pad2(month)}/${pad2(day)}/${year}`;
    case 'mm/dd/yy':
      return `${pad2(month)}/${pad2(day)}/${String(year).slice(2)}`;
    case 'm-d-yyyy':
      return `${month}-${day}-${year}`;
    case 'yyyy-mm-dd':
      return `${year}-${pad2(month)}-${pad2(day)}`;
    case 'mm.dd.yyyy':
      return `${pad2(month)}.${pad2(day)}.${year}`;
    case 'Month d, yyyy':
      return `${monthName(date)} ${day}, ${year}`;
    case 'Mon d, yyyy':
      return `${monthAbbr(date)} ${day}, ${year}`;
    case 'Mon. d, yyyy':
      return `${monthAbbr(date)}${monthAbbr(date) === 'May' ? '' : '.'} ${day}, ${year}`;
    case 'd Month yyyy':
      return `${day} ${monthName(date)} ${year}`;
    case 'dd-Mon-yyyy':
      return `${pad2(day)}-${monthAbbr(date)}-${year}`;
    case 'ddMONyyyy':
      return `${pad2(day)}${monthAbbr(date).toUpperCase()}${year}`;
    case 'Month dth':
      return `${monthName(date)} ${ordinal(day)}`;
    case 'dth of Month':
      return `${ordinal(day)} of ${monthName(date)}`;
    case 'm/d':
      return `${month}/${day}`;
    case 'Month yyyy':
      return `${monthName(date)} ${year}`;
    case 'mm/yyyy':
      return `${pad2(month)}/${year}`;
    case 'Mon yyyy':
      return `${monthAbbr(date)} ${year}`;
    case 'yyyymmdd':
      return `${year}${pad2(month)}${pad2(day)}`;
    case 'spoken':
      return `${monthName(date)} ${ordinalWords(day)}, ${yearWords(year)}`;
  }
}

export function weekday(date: CalendarDate): string {
  return WEEKDAYS[new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()] ?? 'Monday';
}

const WEEKDAY_STYLES: readonly DateStyle[] = [
  'Month d, yyyy',
  'Mon d, yyyy',
  'm/d/yyyy',
  'mm/dd/yyyy',
  'Month dth',
  'm/d',
];

export interface DateOptions {
  readonly styles?: readonly DateStyle[];
  /** Chance of a leading weekday ("Tuesday, March 4, 2024"); the weekday alone is not PHI and stays unlabelled. */
  readonly weekdayChance?: number;
}

export function date(rng: SeededRandom, value: CalendarDate, options: DateOptions = {}): LabelledText {
  const style = rng.pick(options.styles ?? WRITTEN_DATE_STYLES);
  const span = phi('DATE', dateText(value, style));
  const withWeekday = WEEKDAY_STYLES.includes(style);
  return withWeekday && rng.chance(options.weekdayChance ?? 0.08) ? labelled`${weekday(value)}, ${span}` : span;
}

/** A full date (for DOB and letter dates). */
export function fullDate(rng: SeededRandom, value: CalendarDate): LabelledText {
  return date(rng, value, { styles: FULL_DATE_STYLES });
}

export function clockTime(rng: SeededRandom): string {
  const hour = rng.int(0, 23);
  const minute = rng.pick([0, 5, 10, 12, 15, 20, 27, 30, 34, 40, 45, 48, 50, 55]);
  return rng.pick([
    `${pad2(hour)}:${pad2(minute)}`,
    `${pad2(hour)}${pad2(minute)}`,
    `${hour % 12 === 0 ? 12 : hour % 12}:${pad2(minute)} ${hour < 12 ? 'AM' : 'PM'}`,
    `${hour % 12 === 0 ? 12 : hour % 12}:${pad2(minute)}${hour < 12 ? 'am' : 'pm'}`,
  ]);
}

export function phoneText(rng: SeededRandom, digits: string): string {
  const a = digits.slice(0, 3);
  const e = digits.slice(3, 6);
  const n = digits.slice(6);
  return rng.weighted([
    [6, `(${a}) ${e}-${n}`],
    [6, `${a}-${e}-${n}`],
    [2, `${a}.${e}.${n}`],
    [1, `${a} ${e} ${n}`],
    [1, `+1 ${a}-${e}-${n}`],
    [1, `1-${a}-${e}-${n}`],
    [1, digits],
    [1, `+1 (${a}) ${e}-${n}`],
    [1, `(${a})${e}-${n}`],
    [1, `+1${digits}`],
  ]);
}

export function phone(rng: SeededRandom, digits: string, type: 'PHONE' | 'FAX' = 'PHONE'): LabelledText {
  return phi(type, phoneText(rng, digits));
}

/** A phone number as people type it in messages (sometimes without the area code). */
export function casualPhone(rng: SeededRandom, digits: string): LabelledText {
  return rng.chance(0.25) ? phi('PHONE', `${digits.slice(3, 6)}-${digits.slice(6)}`) : phone(rng, digits);
}

export function ssnText(rng: SeededRandom, digits: string): string {
  return rng.weighted([
    [6, `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`],
    [1, `${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`],
    [2, digits],
  ]);
}

export function mbiText(rng: SeededRandom, mbi: string): string {
  return rng.chance(0.5) ? mbi : `${mbi.slice(0, 4)}-${mbi.slice(4, 7)}-${mbi.slice(7)}`;
}

/** "a welder", "an electrician". */
export function withArticle(phrase: LabelledText): LabelledText {
  return labelled`${/^[aeiou]/i.test(phrase.text) ? 'an' : 'a'} ${phrase}`;
}

export const personalTitle = (person: Person) => (person.sex === 'F' ? 'Ms.' : 'Mr.');

const fullNameText = (person: Person, withMiddle: boolean) =>
  [person.first, withMiddle ? person.middle : undefined, person.last].filter(Boolean).join(' ');

export type NameStyle =
  | 'full'
  | 'first-last'
  | 'last-first'
  | 'upper-last-first'
  | 'initial-last'
  | 'first'
  | 'title-last'
  | 'upper-full';

/** A person's name; "Last, First" is two spans (a comma never belongs to a NAME span) and titles stay outside. */
export function name(rng: SeededRandom, person: Person, styles?: readonly NameStyle[]): LabelledText {
  const style = styles
    ? rng.pick(styles)
    : rng.pick<NameStyle>(['full', 'first-last', 'first-last', 'last-first', 'title-last']);
  switch (style) {
    case 'full':
      return phi('NAME', fullNameText(person, true));
    case 'first-last':
      return phi('NAME', fullNameText(person, false));
    case 'last-first':
      return labelled`${phi('NAME', person.last)}, ${phi('NAME', person.middle ? `${person.first} ${person.middle}` : person.first)}`;
    case 'upper-last-first':
      return labelled`${phi('NAME', person.last.toUpperCase())}, ${phi('NAME', person.first.toUpperCase())}`;
    case 'initial-last':
      return phi('NAME', `${person.first.charAt(0)}. ${person.last}`);
    case 'first':
      return phi('NAME', person.first);
    case 'title-last':
      return labelled`${personalTitle(person)} ${phi('NAME', person.last)}`;
    case 'upper-full':
      return phi('NAME', fullNameText(person, false).toUpperCase());
  }
}

/** "Maria's" -> NAME "Maria" followed by an unlabelled possessive. */
export function possessive(rng: SeededRandom, person: Person): LabelledText {
  const form = rng.pick(['first', 'first-last', 'title-last'] as const);
  const base = name(rng, person, [form]);
  return labelled`${base}${base.text.endsWith('s') && rng.chance(0.5) ? "'" : "'s"}`;
}

/** A clinician as signatures and notes write them: "Dr. Patel", "Anita Patel, MD", "PATEL, ANITA MD". */
export function clinicianName(
  rng: SeededRandom,
  clinician: Clinician,
  context: 'prose' | 'signature' = 'prose',
): LabelledText {
  const isDoctor = /MD|DO/.test(clinician.credential);
  const credential = clinician.credential;
  const choices: (() => LabelledText)[] =
    context === 'signature'
      ? [
          () => labelled`${phi('NAME', fullNameText(clinician, true))}, ${credential}`,
          () => labelled`${phi('NAME', fullNameText(clinician, false))} ${credential.split(',')[0]}`,
          () => labelled`${phi('NAME', `${clinician.first.charAt(0)}. ${clinician.last}`)}, ${credential}`,
          () =>
            labelled`${phi('NAME', clinician.last.toUpperCase())}, ${phi('NAME', clinician.first.toUpperCase())} ${credential.split(',')[0]}`,
        ]
      : [
          () =>
            isDoctor
              ? labelled`Dr. ${phi('NAME', clinician.last)}`
              : labelled`${phi('NAME', fullNameText(clinician, false))}, ${credential.split(',')[0]}`,
          () =>
            isDoctor
              ? labelled`Dr. ${phi('NAME', fullNameText(clinician, false))}`
              : labelled`${credential.split(',')[0]} ${phi('NAME', clinician.last)}`,
          () =>
            isDoctor
              ? labelled`Dr ${phi('NAME', clinician.last)}`
              : labelled`${phi('NAME', clinician.first)} (${credential.split(',')[0]})`,
          () => labelled`${phi('NAME', fullNameText(clinician, false))}, ${credential.split(',')[0]}`,
        ];
  return rng.pick(choices)();
}

/** Street line; a unit after a comma is its own ADDRESS span, a unit without one belongs to the street span. */
export function streetLine(rng: SeededRandom, address: PostalAddress): LabelledText {
  if (!address.unit) return phi('ADDRESS', address.street);
  return rng.chance(0.5)
    ? labelled`${phi('ADDRESS', address.street)}, ${phi('ADDRESS', address.unit)}`
    : phi('ADDRESS', `${address.street} ${address.unit}`);
}

/** "Springfield, IL 62704" (states are not PHI and stay unlabelled). */
export function cityStateZip(rng: SeededRandom, address: PostalAddress): LabelledText {
  const state = rng.chance(0.8) ? address.place.state : address.place.stateName;
  const city = phi('LOCATION', address.place.city);
  const zip = phi('ZIP', address.zip);
  return rng.chance(0.85) ? labelled`${city}, ${state} ${zip}` : labelled`${city} ${state} ${zip}`;
}

export function addressOneLine(rng: SeededRandom, address: PostalAddress): LabelledText {
  return labelled`${streetLine(rng, address)}, ${cityStateZip(rng, address)}`;
}

export function addressBlock(rng: SeededRandom, address: PostalAddress): LabelledText {
  return labelled`${streetLine(rng, address)}\n${cityStateZip(rng, address)}`;
}

/** An age phrase; only ages over 89 are PHI (Safe Harbor aggregates them into "90 or older"). */
export function age(rng: SeededRandom, years: number, form?: 'adjective' | 'field' | 'spoken'): LabelledText {
  const value = (text: string) => (years >= 90 ? phi('AGE', text) : text);
  const chosen = form ?? rng.pick(['adjective', 'adjective', 'field'] as const);
  if (chosen === 'spoken') return labelled`${value(numberWords(years))} years old`;
  if (chosen === 'field') {
    return rng.pick([
      labelled`Age: ${value(String(years))}`,
      labelled`age ${value(String(years))}`,
      labelled`${value(String(years))} yrs`,
    ]);
  }
  return rng.pick([
    () => labelled`${value(String(years))}-year-old`,
    () => labelled`${value(String(years))} y/o`,
    () => labelled`${value(String(years))}yo`,
    () => labelled`${value(String(years))} yo`,
    () => labelled`${value(String(years))}-yr-old`,
    () => labelled`${value(String(years))} year old`,
    () => labelled`${value(numberWords(years))}-year-old`,
  ])();
}
