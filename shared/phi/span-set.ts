/** Pure operations on sets of PHI spans: a total sort order, exact dedupe, and merging into a non-overlapping union. */
import { PHI_TYPES, type PhiSpan, type PhiType } from './phi-types.ts';

const TYPE_RANK: ReadonlyMap<PhiType, number> = new Map(PHI_TYPES.map((type, rank) => [type, rank]));

function typeRank(type: PhiType): number {
  return TYPE_RANK.get(type) ?? PHI_TYPES.length;
}

function compareText(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/**
 * A total order: by `begin`, then wider first, then type (in `PHI_TYPES` order), higher score, detector name.
 * Total so that every function here returns the same output whatever the order of its input.
 */
export function compareSpans(a: PhiSpan, b: PhiSpan): number {
  return (
    a.begin - b.begin ||
    b.end - a.end ||
    typeRank(a.type) - typeRank(b.type) ||
    b.score - a.score ||
    compareText(a.detector, b.detector)
  );
}

/** Returns a sorted copy; the input is left untouched. */
export function sortSpans(spans: readonly PhiSpan[]): PhiSpan[] {
  return [...spans].sort(compareSpans);
}

/** Returns the spans sorted, with exact duplicates (same begin, end, type, score and detector) removed. */
export function dedupeSpans(spans: readonly PhiSpan[]): PhiSpan[] {
  const unique: PhiSpan[] = [];
  for (const span of sortSpans(spans)) {
    const last = unique.at(-1);
    if (last === undefined || compareSpans(last, span) !== 0) unique.push(span);
  }
  return unique;
}

function assertValid(span: PhiSpan): void {
  // A span with inverted or fractional bounds is a detector bug; dropping it silently could leak what it marked.
  if (!Number.isInteger(span.begin) || !Number.isInteger(span.end) || span.begin < 0 || span.end < span.begin) {
    throw new RangeError(`Invalid PHI span bounds [${span.begin}, ${span.end})`);
  }
}

/** The contributor whose type the merged span keeps: the widest, then the highest scored, then by type order. */
function dominates(candidate: PhiSpan, current: PhiSpan): boolean {
  const width = candidate.end - candidate.begin - (current.end - current.begin);
  if (width !== 0) return width > 0;
  if (candidate.score !== current.score) return candidate.score > current.score;
  return typeRank(candidate.type) < typeRank(current.type);
}

// Names are split on `+` so re-merging an already merged span does not repeat a detector.
function addDetectors(detectors: Set<string>, span: PhiSpan): Set<string> {
  for (const name of span.detector?.split('+') ?? []) if (name !== '') detectors.add(name);
  return detectors;
}

function detectorOf(detectors: ReadonlySet<string>): string | undefined {
  return detectors.size === 0 ? undefined : [...detectors].sort().join('+');
}

/**
 * Merges overlapping spans into one span covering their union, so the result is sorted and non-overlapping and
 * covers exactly what the input covered. The merged span keeps the highest score, the type of its dominant
 * contributor, and the names of every contributing detector joined by `+`. Spans that only touch
 * (`a.end === b.begin`) stay separate: they already do not overlap and each keeps its own type for tokenization.
 * Empty spans cover nothing and are dropped.
 */
export function mergeSpans(spans: readonly PhiSpan[]): PhiSpan[] {
  for (const span of spans) assertValid(span);
  const merged: PhiSpan[] = [];
  let group: { begin: number; end: number; score: number; lead: PhiSpan; detectors: Set<string> } | undefined;
  const flush = (): void => {
    if (group === undefined) return;
    const detector = detectorOf(group.detectors);
    merged.push({
      begin: group.begin,
      end: group.end,
      type: group.lead.type,
      score: group.score,
      ...(detector === undefined ? {} : { detector }),
    });
  };
  for (const span of sortSpans(spans)) {
    if (span.end === span.begin) continue;
    if (group !== undefined && span.begin < group.end) {
      group.end = Math.max(group.end, span.end);
      group.score = Math.max(group.score, span.score);
      if (dominates(span, group.lead)) group.lead = span;
      addDetectors(group.detectors, span);
      continue;
    }
    flush();
    group = {
      begin: span.begin,
      end: span.end,
      score: span.score,
      lead: span,
      detectors: addDetectors(new Set(), span),
    };
  }
  flush();
  return merged;
}
