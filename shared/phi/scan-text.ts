/** The "pause test": which identifiers a text holds, by offset and type, without echoing any of them. */
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

/** Runs the detector and checks its output; any failure or malformed span fails closed. */
export async function detectOrFail(detector: PhiDetector, text: string): Promise<PhiSpan[]> {
  let spans: PhiSpan[];
  try {
    spans = await detector.detect(text);
  } catch {
    throw new DeidentificationFailed('DETECTOR_FAILED');
  }
  let previousEnd = 0;
  for (const span of spans) {
    const valid =
      Number.isInteger(span.begin) && Number.isInteger(span.end) && span.begin >= previousEnd && span.end > span.begin;
    if (!valid || span.end > text.length) throw new DeidentificationFailed('DETECTOR_INVALID_OUTPUT');
    previousEnd = span.end;
  }
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
