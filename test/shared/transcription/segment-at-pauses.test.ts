import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SEGMENT_AUDIO_BYTES } from '../../../shared/transcription/encounter-requests.ts';
import { segmentAtPauses } from '../../../shared/transcription/segment-at-pauses.ts';
import { synthesizeEncounterPcm } from './encounter-audio.ts';

const options = { sampleRateHz: 16_000, maxSegmentBytes: MAX_SEGMENT_AUDIO_BYTES };

describe('segmentAtPauses', () => {
  it('cuts one segment per utterance, at the pauses, and drops the silence between them', () => {
    const pcm = synthesizeEncounterPcm([900, 1700, 1300], 700);
    const segments = segmentAtPauses(pcm, options);
    expect(segments).toHaveLength(3);
    // Each utterance starts after the leading pause and the previous utterances with their pauses.
    expect(segments.map((segment) => segment.offsetMs)).toEqual([700, 2300, 4700]);
    segments.forEach((segment, index) => {
      const spoken = [900, 1700, 1300][index] ?? 0;
      expect(segment.durationMs).toBeGreaterThanOrEqual(spoken);
      expect(segment.durationMs).toBeLessThan(spoken + 700);
    });
  });

  it('splits speech longer than a message can carry', () => {
    const segments = segmentAtPauses(synthesizeEncounterPcm([7000]), options);
    expect(segments.length).toBeGreaterThanOrEqual(3);
    expect(segments.every((segment) => segment.pcm.length <= MAX_SEGMENT_AUDIO_BYTES)).toBe(true);
  });

  it('returns nothing for silence', () => {
    expect(segmentAtPauses(new Uint8Array(32_000), options)).toEqual([]);
  });

  it('always yields ordered, non-overlapping, whole-sample segments within the size limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 40, max: 4000 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 100, max: 1200 }),
        fc.integer({ min: 4_000, max: MAX_SEGMENT_AUDIO_BYTES }),
        (utterances, pauseMs, maxSegmentBytes) => {
          const pcm = synthesizeEncounterPcm(utterances, pauseMs);
          const segments = segmentAtPauses(pcm, { sampleRateHz: 16_000, maxSegmentBytes });
          let end = 0;
          for (const segment of segments) {
            expect(segment.pcm.length % 2).toBe(0);
            expect(segment.pcm.length).toBeLessThanOrEqual(maxSegmentBytes);
            expect(segment.offsetMs).toBeGreaterThanOrEqual(end);
            end = segment.offsetMs + segment.durationMs;
          }
          expect(end).toBeLessThanOrEqual(Math.ceil(pcm.length / 32));
        },
      ),
      { numRuns: 40 },
    );
  });
});
