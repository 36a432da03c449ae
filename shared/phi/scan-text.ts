/** The "pause test": which identifiers a text holds, by offset and type, without echoing any of them. */
import { recordMetric } from '../observability/record-metric.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';
import { DeidentificationFailed } from './deidentification-errors.ts';
import type { PhiSpan, PhiType } from './phi-types.ts';

export interface ScanResult {
  readonly entities: { begin: number; end: number; type: PhiType; score: number }[];
  readonly entityCounts: Partial<Record<PhiType, number>>;
}

export function countByType(spans: readonly Pick<PhiSpan, 'type'>[]): Partial<Record<PhiType, number>> {
  const counts: Partial<Record<PhiType, number>> = {};
  for (const span of spans) counts[span.type] = (counts[span.type] ?? 0) + 1;
  return counts;
}

/** Counts per entity type and per detector (the member of an ensemble that found it): types and names, no text. */
function recordPhiEntities(spans: readonly PhiSpan[], detectorName: string): void {
  const counts = new Map<string, { type: PhiType; detector: string; count: number }>();
  for (const span of spans) {
    const detector = span.detector ?? detectorName;
    const key = `${span.type}\u0000${detector}`;
    const entry = counts.get(key) ?? { type: span.type, detector, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  for (const { type, detector, count } of counts.values()) {
    recordMetric('PhiEntities', count, { entityType: type, detector });
  }
}

/** Runs the detector and checks its output; any failure or malformed span fails closed. */
export async function detectOrFail(detector: PhiDetector, text: string): Promise<PhiSpan[]> {
  let spans: PhiSpan[];
  recordMetric('DetectorCharacters', text.length, { detector: detector.name });
  try {
    spans = await detector.detect(text);
  } catch {
    recordMetric('FailClosedRefusals', 1, { reason: 'DETECTOR_FAILED' });
    throw new DeidentificationFailed('DETECTOR_FAILED');
  }
  let previousEnd = 0;
  for (const span of spans) {
    const valid =
      Number.isInteger(span.begin) && Number.isInteger(span.end) && span.begin >= previousEnd && span.end > span.begin;
    if (!valid || span.end > text.length) {
      recordMetric('FailClosedRefusals', 1, { reason: 'DETECTOR_INVALID_OUTPUT' });
      throw new DeidentificationFailed('DETECTOR_INVALID_OUTPUT');
    }
    previousEnd = span.end;
  }
  recordPhiEntities(spans, detector.name);
  return spans;
}

export async function scanText(text: string, detector: PhiDetector): Promise<ScanResult> {
  const spans = await detectOrFail(detector, text);
  return {
    entities: spans.map(({ begin, end, type, score }) => ({
      begin,
      end,
      type,
      score: Math.round(score * 1000) / 1000,
    })),
    entityCounts: countByType(spans),
  };
}
