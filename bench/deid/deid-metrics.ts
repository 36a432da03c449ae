/** Pure scoring of detected PHI spans against gold spans: entity recall/precision/F1, per type and per character. */
import { PHI_TYPES, type PhiType } from '../../shared/phi/phi-types.ts';

export interface LabelledSpan {
  readonly begin: number;
  readonly end: number;
  readonly type: PhiType;
}

/**
 * A gold entity counts as found when at least this share of its characters is covered by detected spans. Below
 * 100% so a detector is not punished for trimming a trailing period from "J. Smith Jr." yet a half-found name is a
 * miss: what is left of it still identifies the patient.
 */
export const COVERAGE_THRESHOLD = 0.9;

export interface TypeTally {
  readonly gold: number;
  /** Found by spans of any type: the PHI is removed even if mislabelled. */
  readonly found: number;
  /** Found by spans of the gold type (what type-specific surrogates or policies need). */
  readonly foundSameType: number;
}

export interface Tally {
  readonly goldEntities: number;
  readonly foundEntities: number;
  readonly foundSameType: number;
  readonly detectedSpans: number;
  /** Detected spans that overlap at least one gold entity. */
  readonly correctSpans: number;
  readonly goldChars: number;
  readonly coveredChars: number;
  readonly perType: Readonly<Partial<Record<PhiType, TypeTally>>>;
}

export interface NoteEvaluation {
  readonly tally: Tally;
  readonly missed: readonly LabelledSpan[];
}

export const EMPTY_TALLY: Tally = {
  goldEntities: 0,
  foundEntities: 0,
  foundSameType: 0,
  detectedSpans: 0,
  correctSpans: 0,
  goldChars: 0,
  coveredChars: 0,
  perType: {},
};

type Interval = readonly [begin: number, end: number];

/** Sorts and merges overlapping or touching spans into disjoint intervals. */
export function mergeIntervals(spans: readonly { readonly begin: number; readonly end: number }[]): Interval[] {
  const sorted = spans.filter((span) => span.end > span.begin).sort((a, b) => a.begin - b.begin || a.end - b.end);
  const merged: [number, number][] = [];
  for (const { begin, end } of sorted) {
    const last = merged.at(-1);
    if (last && begin <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([begin, end]);
  }
  return merged;
}

/** Characters of [begin, end) inside the disjoint, sorted intervals. */
export function coveredLength(begin: number, end: number, intervals: readonly Interval[]): number {
  // Binary search for the first interval that ends after `begin`.
  let low = 0;
  let high = intervals.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((intervals[mid]?.[1] ?? 0) <= begin) low = mid + 1;
    else high = mid;
  }
  let covered = 0;
  for (let i = low; i < intervals.length; i++) {
    const interval = intervals[i];
    if (!interval || interval[0] >= end) break;
    covered += Math.min(end, interval[1]) - Math.max(begin, interval[0]);
  }
  return covered;
}

const isFound = (covered: number, length: number) => length > 0 && covered >= COVERAGE_THRESHOLD * length;

/** Scores one note. `detected` may be in any order and may overlap. */
export function evaluateNote(gold: readonly LabelledSpan[], detected: readonly LabelledSpan[]): NoteEvaluation {
  const anyType = mergeIntervals(detected);
  const byType = new Map<PhiType, Interval[]>();
  for (const type of new Set(detected.map((span) => span.type))) {
    byType.set(type, mergeIntervals(detected.filter((span) => span.type === type)));
  }
  const perType: Partial<Record<PhiType, TypeTally>> = {};
  const missed: LabelledSpan[] = [];
  let foundEntities = 0;
  let foundSameType = 0;
  let goldChars = 0;
  let coveredChars = 0;
  for (const entity of gold) {
    const length = entity.end - entity.begin;
    const covered = coveredLength(entity.begin, entity.end, anyType);
    const found = isFound(covered, length);
    const sameType = isFound(coveredLength(entity.begin, entity.end, byType.get(entity.type) ?? []), length);
    goldChars += Math.max(0, length);
    coveredChars += covered;
    if (found) foundEntities++;
    else missed.push(entity);
    if (sameType) foundSameType++;
    const previous = perType[entity.type] ?? { gold: 0, found: 0, foundSameType: 0 };
    perType[entity.type] = {
      gold: previous.gold + 1,
      found: previous.found + (found ? 1 : 0),
      foundSameType: previous.foundSameType + (sameType ? 1 : 0),
    };
  }
  const goldIntervals = mergeIntervals(gold);
  const correctSpans = detected.filter((span) => coveredLength(span.begin, span.end, goldIntervals) > 0).length;
  return {
    tally: {
      goldEntities: gold.length,
      foundEntities,
      foundSameType,
      detectedSpans: detected.length,
      correctSpans,
      goldChars,
      coveredChars,
      perType,
    },
    missed,
  };
}

export function addTallies(a: Tally, b: Tally): Tally {
  const perType: Partial<Record<PhiType, TypeTally>> = { ...a.perType };
  for (const type of PHI_TYPES) {
    const extra = b.perType[type];
    if (!extra) continue;
    const base = perType[type] ?? { gold: 0, found: 0, foundSameType: 0 };
    perType[type] = {
      gold: base.gold + extra.gold,
      found: base.found + extra.found,
      foundSameType: base.foundSameType + extra.foundSameType,
    };
  }
  return {
    goldEntities: a.goldEntities + b.goldEntities,
    foundEntities: a.foundEntities + b.foundEntities,
    foundSameType: a.foundSameType + b.foundSameType,
    detectedSpans: a.detectedSpans + b.detectedSpans,
    correctSpans: a.correctSpans + b.correctSpans,
    goldChars: a.goldChars + b.goldChars,
    coveredChars: a.coveredChars + b.coveredChars,
    perType,
  };
}

/** A ratio where an empty denominator means "nothing to get wrong": 1. */
export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 1 : numerator / denominator;
}

export function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

export interface TypeScores {
  readonly gold: number;
  readonly recall: number;
  readonly typeAwareRecall: number;
}

export interface DeidScores {
  readonly goldEntities: number;
  readonly detectedSpans: number;
  readonly recall: number;
  readonly precision: number;
  readonly f1: number;
  readonly typeAwareRecall: number;
  readonly charRecall: number;
  readonly perType: Readonly<Partial<Record<PhiType, TypeScores>>>;
}

export function summarize(tally: Tally): DeidScores {
  const recall = ratio(tally.foundEntities, tally.goldEntities);
  const precision = ratio(tally.correctSpans, tally.detectedSpans);
  const perType: Partial<Record<PhiType, TypeScores>> = {};
  for (const type of PHI_TYPES) {
    const counts = tally.perType[type];
    if (!counts) continue;
    perType[type] = {
      gold: counts.gold,
      recall: ratio(counts.found, counts.gold),
      typeAwareRecall: ratio(counts.foundSameType, counts.gold),
    };
  }
  return {
    goldEntities: tally.goldEntities,
    detectedSpans: tally.detectedSpans,
    recall,
    precision,
    f1: f1(precision, recall),
    typeAwareRecall: ratio(tally.foundSameType, tally.goldEntities),
    charRecall: ratio(tally.coveredChars, tally.goldChars),
    perType,
  };
}

/** Scores a corpus from (gold, detected) pairs, one per note. */
export function scoreNotes(
  notes: readonly { readonly gold: readonly LabelledSpan[]; readonly detected: readonly LabelledSpan[] }[],
): DeidScores {
  return summarize(notes.map((note) => evaluateNote(note.gold, note.detected).tally).reduce(addTallies, EMPTY_TALLY));
}
