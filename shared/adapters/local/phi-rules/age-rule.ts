// Finds ages over 89, which Safe Harbor requires to be aggregated; younger ages are not identifiers.
import type { PhiRule, SpanSink } from './phi-rule.ts';

const MIN_AGE = 90;
/** Above this a number is not an age (a count, a weight, a lab value). */
const MAX_AGE = 125;

interface AgePattern {
  readonly regex: RegExp;
  readonly score: number;
  /** Checks the context of a match before it is accepted (for example, not a temperature). */
  readonly accept?: (text: string, begin: number) => boolean;
}

/** "101F" after "Tmax" is a fever, not a 101-year-old woman. */
const TEMPERATURE_BEFORE =
  /(?:t(?:emp(?:erature)?)?|tmax|fever|febrile|°|deg(?:rees?)?)[\s:]{0,3}(?:of\s)?[\s:~]{0,2}$/i;

/** Ninety and up in words: "ninety", "ninety-two", "one hundred and one", "a hundred nineteen". */
const AGE_WORDS =
  '(?:ninety(?:[\\s-](?:one|two|three|four|five|six|seven|eight|nine))?|(?:one|a)\\s{1,2}hundred(?:\\s{1,2}(?:and\\s{1,2})?(?:eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|one|two|three|four|five|six|seven|eight|nine|ten))?)(?![a-z])';
/** Units after a number that make it a measurement rather than an age. */
const NOT_AN_AGE_AFTER =
  '(?!\\d|[.,/]\\d|%|\\s{0,2}(?:%|mg|kg|lbs?|pounds|minutes|mins|days|weeks|months|percent|degrees|times|units|cm|inches|feet|ft|miles|hours|hrs|over|\\/|beats|bpm|mmhg|ml|mcg|cc|on\\s{1,2}(?:ra|room|\\d)))';

/** A speaker label in a transcript ("PT:", "Patient:", "[Mrs. Diaz]") and fillers before an answer ("Um, I'm"). */
const ANSWER_LEAD =
  "(?:[A-Za-z][\\w.' -]{0,30}:|\\[[^\\]\\n]{1,30}\\]|-)?[ \\t]{0,3}(?:(?:um+|uh+|oh|well|i'?m|i\\s{1,2}am|i'?ll\\s{1,2}be|about|almost|just\\s{1,2}turned)[,.]?[ \\t]{1,2}){0,3}";

const AGE_PATTERNS: readonly AgePattern[] = [
  {
    // A relative's age at death: "mother died at 97", "passed away at 91 of CHF", "died aged 96"
    regex: new RegExp(
      `\\b(?:died|passed(?:\\s{1,2}away|\\s{1,2}on)?|deceased|expired)\\s{1,2}(?:at|aged?)\\s{1,2}(?:the\\s{1,2}age\\s{1,2}of\\s{1,2})?(\\d{2,3}|${AGE_WORDS})(?!:\\d)${NOT_AN_AGE_AFTER}`,
      'gi',
    ),
    score: 0.85,
  },
  {
    // A bare number answering an age question in a transcript: "How old are you now?" then "PT: 97, ..."
    regex: new RegExp(
      `\\bhow\\s{1,2}old\\s{1,2}(?:are|were|is|was)\\b[^?\\n]{0,40}\\?[ \\t]{0,3}(?:\\r?\\n){0,2}[ \\t]{0,3}${ANSWER_LEAD}(\\d{2,3}|${AGE_WORDS})(?![\\w:/])${NOT_AN_AGE_AFTER}`,
      'gi',
    ),
    score: 0.8,
  },
  {
    // 92-year-old, 92 y/o, 92yo, 92 y.o., 92 yr old, 92 years old, 92 years of age, 92-yo, 92yoF
    regex:
      /(?<![\d.,])(\d{2,3})(?=[\s-]{0,2}(?:years?|yrs?|y\/o|y\.o\.?|yo|y\s?o\b)(?:[\s-]{0,2}old|\s{1,2}of\s{1,2}age|[\s-]?(?:[MF]\b|male|female|man|woman|gentleman|lady|w\/|with|\b)))/gi,
    score: 0.9,
  },
  {
    // age 95, aged 94, Age: 101, AGE 92, ages 90
    regex:
      /\bage[ds]?\b\s{0,2}(?:[:=]|of|is|was)?\s{0,2}(\d{2,3}|ninety(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?)(?!\d|[.,]\d)/gi,
    score: 0.9,
  },
  {
    // "92M", "95 F" in a one-line summary; not after a temperature cue
    regex: /(?<![\d.,:/])(\d{2,3})\s?(?:M|F)(?=[\s,;.)]|$)/g,
    score: 0.6,
    accept: (text, begin) => !TEMPERATURE_BEFORE.test(text.slice(Math.max(0, begin - 16), begin)),
  },
  {
    // "I'm 94", "she is 92", "turned 90", "he'll be 91": a person's age stated without a unit
    regex: new RegExp(
      `\\b(?:i'?m|i\\s{1,2}am|you'?re|you\\s{1,2}are|he'?s|she'?s|(?:he|she|patient|pt|who|resident|client|mother|father|mom|dad|grandmother|grandfather|grandma|grandpa|husband|wife|spouse|sister|brother|aunt|uncle)\\s{1,2}(?:is|was)|turned|turning|turns|(?:will|he'll|she'll|i'll)\\s{1,2}be)\\s{1,2}(?:now\\s{1,2}|almost\\s{1,2}|nearly\\s{1,2}|over\\s{1,2})?(\\d{2,3}|${AGE_WORDS})${NOT_AN_AGE_AFTER}`,
      'gi',
    ),
    score: 0.8,
  },
  {
    // ninety-two-year-old, one hundred and one years old, ninety-four yo, ninety y/o
    regex: new RegExp(
      `\\b(${AGE_WORDS})(?=[\\s-]{1,2}(?:years?|yrs?)(?:[\\s-]{1,2}old|\\s{1,2}of\\s{1,2}age)|[\\s-]{0,2}(?:y\\/o|y\\.o\\.?|yo\\b|yr[\\s-]old))`,
      'gi',
    ),
    score: 0.9,
  },
  {
    // "in her 90s", "in his early nineties", "a nonagenarian": a decade over 89 still narrows the age
    regex:
      /\b(?:in\s{1,2}(?:his|her|their)\s{1,2}(?:(?:early|mid|late)[\s-]{1,2})?(90'?s|nineties|100s|hundreds)|(nonagenarian|centenarian|supercentenarian)s?)\b/gi,
    score: 0.8,
  },
  {
    // "F/92", "92/M": sex and age in a summary line
    regex: /(?<![\w/])(?:[MF]\s?\/\s?(\d{2,3})(?![\w/.])|(\d{2,3})\s?\/\s?[MF]\b(?!\/))/g,
    score: 0.7,
  },
  {
    // "her 97th birthday", "his ninetieth birthday"
    regex:
      /\b(\d{2,3}(?:st|nd|rd|th)|ninetieth|ninety[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|(?:one\s)?hundredth)\s{1,2}birthday/gi,
    score: 0.8,
  },
];

function isOldAge(value: string): boolean {
  const age = Number.parseInt(value, 10);
  if (!Number.isNaN(age)) return age >= MIN_AGE && age <= MAX_AGE;
  // Spelled-out ages match only from "ninety" up.
  return true;
}

function findAges(text: string, report: SpanSink): void {
  for (const pattern of AGE_PATTERNS) {
    const { regex } = pattern;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      const value = match[1] ?? match[2];
      if (value === undefined || !isOldAge(value)) continue;
      // The value ends its match (a question before an answer may hold the same digits).
      const begin = match.index + match[0].lastIndexOf(value);
      if (pattern.accept && !pattern.accept(text, begin)) continue;
      report(begin, begin + value.length, 'AGE', pattern.score);
    }
  }
}

export const ageRule: PhiRule = {
  name: 'ages-over-89',
  types: ['AGE'],
  find(input, report) {
    findAges(input.text, report);
  },
};
