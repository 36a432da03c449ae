import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIMENSION_NAMES,
  METRIC_CATALOG,
  METRIC_NAMES,
  safeDimensionValue,
  UNRECOGNIZED_DIMENSION_VALUE,
} from '../../../shared/observability/metric-catalog.ts';

describe('metric catalog', () => {
  it('declares the metric names other work streams emit (contracts.md)', () => {
    const contract = [
      'DraftsRequested',
      'DraftsReady',
      'DraftsFailed',
      'DraftsApproved',
      'DraftsRejected',
      'DraftReviewLatency',
      'TranscribedAudioSeconds',
      'TranscriptSegmentLatency',
      'TranscriptionFailures',
    ];
    expect(METRIC_NAMES).toEqual(expect.arrayContaining(contract));
    expect(METRIC_CATALOG.DraftsFailed.dimensions).toEqual([['reason']]);
    expect(METRIC_CATALOG.TranscribedAudioSeconds.dimensions).toEqual([['transcriber']]);
  });

  it('uses only the allowed dimension names, and describes every metric', () => {
    for (const name of METRIC_NAMES) {
      const declaration = METRIC_CATALOG[name];
      for (const set of declaration.dimensions) {
        for (const dimension of set) expect(DIMENSION_NAMES).toContain(dimension);
      }
      expect(declaration.description.length).toBeGreaterThan(10);
    }
  });

  it('keeps route keys as the resource template and codes as they are', () => {
    expect(safeDimensionValue('route', 'POST /v1/drafts/{draftId}/review')).toBe('POST /v1/drafts/{draftId}/review');
    expect(safeDimensionValue('code', 'NO_PERMITTED_SOURCES')).toBe('NO_PERMITTED_SOURCES');
    expect(safeDimensionValue('detector', 'ensemble(local-rules+comprehend-medical)')).toBe(
      'ensemble(local-rules+comprehend-medical)',
    );
    expect(safeDimensionValue('model', 'us.anthropic.claude-3-5-haiku-20241022-v1:0')).toBe(
      'us.anthropic.claude-3-5-haiku-20241022-v1:0',
    );
  });

  it('never keeps a value with a space outside the route key separator: prose becomes "other"', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.constantFrom(...DIMENSION_NAMES), (left, right, name) => {
        const value = `${left} ${right}`;
        const kept = safeDimensionValue(name, value);
        if (name === 'route') {
          expect(kept === value ? /^[A-Z]+ \/\S*$/.test(value) : kept === UNRECOGNIZED_DIMENSION_VALUE).toBe(true);
        } else {
          expect(kept).toBe(UNRECOGNIZED_DIMENSION_VALUE);
        }
      }),
    );
  });
});
