// Finds dates and their elements finer than a year (Safe Harbor keeps only the year): numeric, ISO, HL7, month
// names, month + year, weekdays, holidays, and times attached to a date.
import type { PhiRule, SpanSink } from './phi-rule.ts';

const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const WEEKDAY =
  '(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)';
const DAY = '(?:[12]\\d|3[01]|0?[1-9])(?:st|nd|rd|th)?';
const YEAR = "(?:\\d{4}|'\\d{2})";
/** A clock time written after a date ("3/14/2024 10:32", "March 14 at 2:15 PM", "14-Mar-2024 @ 1430"). */
const TIME =
  '(?:(?:,?\\s{1,3}(?:at\\s{1,3}|@\\s{0,2})?|T)(?:[01]?\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,6})?)?(?:\\s?[AaPp]\\.?[Mm]\\.?)?(?:Z|[+-]\\d{2}:?\\d{2})?|\\s{0,2}@\\s{0,2}(?:[01]\\d|2[0-3])[0-5]\\d\\b(?:\\s?(?:hrs?|h)\\b)?|\\s(?:[01]\\d|2[0-3])[0-5]\\d\\s?(?:hrs?|h)\\b)?';
const WEEKDAY_PREFIX = `(?:${WEEKDAY}\\.?,?\\s{1,3}(?:the\\s)?)?`;
/** Months spelled out, for dates written in words (abbreviations would read "mar", "sat" as words). */
const MONTH_NAME = '(?:January|February|March|April|May|June|July|August|September|October|November|December)';
const UNIT_WORD = '(?:one|two|three|four|five|six|seven|eight|nine)';
/** Day of the month as an ordinal word: "first" .. "thirty-first". */
const ORDINAL_DAY = `(?:(?:twenty|thirty)[\\s-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|(?:thir|four|fif|six|seven|eigh|nine)teenth|twentieth|thirtieth)`;
/** A year in words: "nineteen forty-one", "nineteen oh five", "two thousand and five", "twenty twenty-three". */
const YEAR_WORDS = `(?:(?:nineteen|twenty)[\\s-](?:hundred|oh[\\s-]${UNIT_WORD}|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\\s-]${UNIT_WORD})?)|two\\s{1,2}thousand(?:\\s{1,2}(?:and\\s{1,2})?(?:${UNIT_WORD}|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|twenty(?:[\\s-]${UNIT_WORD})?))?)`;
const SPELLED_YEAR = `(?:,?\\s{1,2}(?:of\\s{1,2})?(?:${YEAR_WORDS}|\\d{4})\\b)?`;

/** Month/day without a year is a date only with a cue; these words after it make it a fraction or a score. */
const NOT_A_DATE_AFTER =
  /^\s{0,2}(?:tabs?|tablets?|caps?|capsules?|strength|dose|doses|of\b|mg|mcg|ml|units?|inch|in\b|cups?|tsp|tbsp|%|x\b|times|pain|scale|severity|intensity|normal|nl|ns|or\s+(?:less|more)|tsf)/i;
/** "decreased by 1/2": a change by a fraction. */
const CHANGE_BEFORE =
  /(?:increased?|decreased?|reduced?|cut|dropped|improved|lowered|raised|titrated|down|up)\s{1,2}by\s{1,3}$/i;
const monthDayAccepted = (match: RegExpExecArray, text: string): boolean => {
  const end = match.index + match[0].length;
  if (NOT_A_DATE_AFTER.test(text.slice(end, end + 16))) return false;
  return !CHANGE_BEFORE.test(
    text.slice(Math.max(0, match.index - 20), match.index + match[0].length - (match[1] ?? '').length),
  );
};

/** A date reading is discarded when the number is followed by a unit ("May 5 mg" never occurs; "Dec 3 days" may). */
const UNIT_AFTER =
  /^\s{0,2}(?:mg|mcg|ml|g|kg|lbs?|units?|days?|weeks?|wks?|months?|hours?|hrs?|min|minutes?|times|x|tabs?|tablets?|pills?|caps?|%|cm|mm|in|inches|ft|feet|years?|yrs?|doses?)\b/i;

interface DatePattern {
  readonly name: string;
  readonly regex: RegExp;
  readonly score: number;
  /** Returns false to drop a match (invalid month or day, a unit after the number). */
  readonly accept?: (match: RegExpExecArray, text: string) => boolean;
  /** Capture group holding the date when the match includes a cue; the whole match otherwise. */
  readonly group?: number;
  /** Words the text must contain for the pattern to match at all: a cheap test that skips most notes. */
  readonly hints?: readonly RegExp[];
}

const MONTH_NAME_HINT = new RegExp(MONTH_NAME, 'i');
const ORDINAL_HINT = /first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|teenth|tieth/i;
const YEAR_WORDS_HINT = /nineteen|thousand|twenty/i;

const validDayMonth = (a: number, b: number): boolean =>
  (a >= 1 && a <= 12 && b >= 1 && b <= 31) || (b >= 1 && b <= 12 && a >= 1 && a <= 31);
const num = (value: string | undefined): number => Number.parseInt(value ?? '', 10);
const noUnitAfter = (match: RegExpExecArray, text: string): boolean =>
  !UNIT_AFTER.test(text.slice(match.index + match[0].length, match.index + match[0].length + 12));

/** Declared once, realised by one loop: each pattern is a linear scan (bounded repetitions only). */
const DATE_PATTERNS: readonly DatePattern[] = [
  {
    name: 'numeric m/d/y',
    regex: new RegExp(
      `(?<![\\d/.\\-])${WEEKDAY_PREFIX}(\\d{1,2})([/.\\-])(\\d{1,2})\\2(\\d{4}|\\d{2})(?![\\d/]|[.\\-]\\d)${TIME}`,
      'gi',
    ),
    score: 0.95,
    accept: (m) => validDayMonth(num(m[1]), num(m[3])),
  },
  {
    name: 'ISO y-m-d',
    regex: new RegExp(
      `(?<![\\d/.\\-])((?:1[89]|2[01])\\d{2})([\\-/.])(\\d{1,2})\\2(\\d{1,2})(?![\\d/]|[.\\-]\\d)${TIME}`,
      'g',
    ),
    score: 0.95,
    accept: (m) => num(m[3]) >= 1 && num(m[3]) <= 12 && num(m[4]) >= 1 && num(m[4]) <= 31,
  },
  {
    name: 'compact yyyymmdd (HL7)',
    regex:
      /(?<![\w.+\-/])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])?(?:[0-5]\d){0,2}(?:\.\d{1,4})?(?:[+-]\d{4})?(?![\w.\-/])/g,
    score: 0.7,
  },
  {
    name: 'month day, year',
    regex: new RegExp(
      `\\b${WEEKDAY_PREFIX}${MONTH}\\.?\\s{0,2}${DAY}(?:\\s{0,2}(?:-|–|to|through)\\s{0,2}${DAY})?\\b(?:,?\\s{0,2}${YEAR}\\b)?${TIME}`,
      'gi',
    ),
    score: 0.95,
    accept: noUnitAfter,
  },
  {
    name: 'day month year',
    regex: new RegExp(
      `\\b${WEEKDAY_PREFIX}${DAY}(?:\\s{1,2}of)?[\\s\\-/.]{0,2}${MONTH}\\b\\.?(?:[\\s\\-/.,]{0,3}${YEAR}\\b)?${TIME}`,
      'gi',
    ),
    score: 0.95,
  },
  {
    name: 'month year',
    regex: new RegExp(`\\b${MONTH}\\.?(?:\\s{1,2}of)?[\\s,\\-/]{1,3}${YEAR}\\b`, 'gi'),
    score: 0.9,
  },
  {
    name: 'numeric month/year',
    regex: /(?<![\d/.-])(0?[1-9]|1[0-2])[/-]((?:19|20)\d{2})(?![\d/]|[.-]\d)/g,
    score: 0.8,
  },
  {
    name: 'month/day after a date cue',
    regex:
      /\b(?:on|since|from|until|till|thru|through|dated|date|dos|dob|seen|admitted|admit|discharged|discharge|visit|visited|effective|starting|started|stopped|by|before|after|last|next|of|between|and|appt|appointment|scheduled|rescheduled|due|drawn|collected|obtained|performed|done|called|filled|refilled|given|received|returned|return|rtc|onset|lmp|edd|surgery|procedure|vaccinated|expires|exp|as\s{1,2}of|week\s{1,2}of|f\/u|fu|follow[\s-]?up|mon|monday|tue|tues|tuesday|wed|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|sun|sunday)(?:\.?,?\s{1,3}|\.?\s{0,2}[:#]\s{0,3})((?:0?[1-9]|1[0-2])\/(?:[12]\d|3[01]|0?[1-9]))(?![\d/]|\.\d)/gi,
    score: 0.85,
    group: 1,
    accept: monthDayAccepted,
  },
  {
    name: 'month and ordinal day in words',
    regex: new RegExp(`\\b${MONTH_NAME}\\s{1,2}(?:the\\s{1,2})?${ORDINAL_DAY}\\b${SPELLED_YEAR}`, 'gi'),
    score: 0.9,
    // Lower-case "may first" is more often the verb than the month.
    accept: (match) => !match[0].startsWith('may'),
    hints: [MONTH_NAME_HINT, ORDINAL_HINT],
  },
  {
    name: 'ordinal day of month in words',
    regex: new RegExp(
      `\\b(?:the\\s{1,2})?${ORDINAL_DAY}\\s{1,2}(?:day\\s{1,2})?of\\s{1,2}${MONTH_NAME}\\b${SPELLED_YEAR}`,
      'gi',
    ),
    score: 0.9,
    hints: [MONTH_NAME_HINT, ORDINAL_HINT],
  },
  {
    name: 'month day and a year in words',
    regex: new RegExp(`\\b${MONTH_NAME}\\s{1,2}${DAY},?\\s{1,2}${YEAR_WORDS}\\b`, 'gi'),
    score: 0.9,
    hints: [MONTH_NAME_HINT, YEAR_WORDS_HINT],
  },
  {
    name: 'month/day in a range',
    regex:
      /(?<![\d/.])((?:0?[1-9]|1[0-2])\/(?:[12]\d|3[01]|0?[1-9]))(?=\s{0,2}(?:-|–|to|through|thru)\s{0,2}(?:0?[1-9]|1[0-2])\/(?:[12]\d|3[01]|0?[1-9])(?!\d))/g,
    score: 0.85,
    group: 1,
  },
  {
    name: 'month/day at the start of an entry',
    regex: /^[ \t]{0,8}((?:0?[1-9]|1[0-2])\/(?:[12]\d|3[01]|0?[1-9]))(?=[ \t]{0,2}(?:[:\-–]|\d{1,2}:\d{2}|@))/gm,
    score: 0.85,
    group: 1,
  },
  {
    name: 'month/day with a time',
    regex: /(?<![\d/.])((?:0?[1-9]|1[0-2])\/(?:[12]\d|3[01]|0?[1-9]))(?=\s{1,2}(?:at\s)?(?:[01]?\d|2[0-3]):[0-5]\d)/g,
    score: 0.85,
    group: 1,
  },
  {
    name: 'ordinal day',
    regex:
      /\b(?:on|by|since|until|before|after|from|through)\s{1,2}the\s{1,2}((?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b/gi,
    score: 0.7,
    group: 1,
  },
  {
    name: 'season and year',
    regex: /\b(?:spring|summer|fall|autumn|winter)(?:\s{1,2}of)?,?\s{1,2}\d{4}\b/gi,
    score: 0.6,
  },
  {
    name: 'month alone',
    regex:
      /\b(?:January|February|March|April|June|July|August|September|October|November|December|JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|May(?<=\b(?:in|of|since|until|early|late|mid|last|next|this|during|from|through|by)[\s-]{1,2}May))\b/g,
    score: 0.6,
  },
  {
    name: 'lower-case weekday after a cue',
    regex:
      /(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?<=\b(?:on|last|this|next|since|by|until|every|from)\s{1,2}[a-z]{6,9})/g,
    score: 0.5,
  },
  {
    name: 'weekday or holiday',
    regex:
      /\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY|Christmas(?: Eve| Day)?|Thanksgiving(?: Day)?|Easter(?: Sunday)?|New Year'?s(?: Eve| Day)?|Independence Day|Memorial Day|Labor Day|Veterans Day|Halloween|Valentine'?s Day|Mother'?s Day|Father'?s Day|Hanukkah|Passover|Ramadan|Juneteenth)\b/g,
    score: 0.5,
  },
];

function findDates(text: string, report: SpanSink): void {
  const hinted = new Map<RegExp, boolean>();
  const present = (hint: RegExp): boolean => {
    let found = hinted.get(hint);
    if (found === undefined) {
      found = hint.test(text);
      hinted.set(hint, found);
    }
    return found;
  };
  for (const pattern of DATE_PATTERNS) {
    if (pattern.hints !== undefined && !pattern.hints.every(present)) continue;
    const { regex } = pattern;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      if (match[0].length === 0) {
        regex.lastIndex += 1;
        continue;
      }
      if (pattern.accept && !pattern.accept(match, text)) continue;
      if (pattern.group === undefined) {
        report(match.index, match.index + match[0].length, 'DATE', pattern.score);
        continue;
      }
      const value = match[pattern.group];
      if (value === undefined) continue;
      const begin = match.index + match[0].lastIndexOf(value);
      report(begin, begin + value.length, 'DATE', pattern.score);
    }
  }
}

export const dateRule: PhiRule = {
  name: 'dates',
  types: ['DATE'],
  find(input, report) {
    findDates(input.text, report);
  },
};
