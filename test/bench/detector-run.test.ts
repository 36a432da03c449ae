import { describe, expect, it } from 'vitest';
import type { BenchDetector } from '../../bench/deid/bench-detectors.ts';
import { runDetector } from '../../bench/deid/detector-run.ts';
import type { LabelledCorpus } from '../../bench/deid/labelled-corpus.ts';
import type { PhiSpan } from '../../shared/phi/phi-types.ts';

const corpus = (synthetic: boolean): LabelledCorpus => ({
  name: 'tiny',
  source: 'memory',
  synthetic,
  remarks: [],
  notes: [
    {
      id: '1',
      kind: 'note',
      text: 'Ana Ruiz called 217-555-0134.',
      entities: [
        { begin: 0, end: 8, type: 'NAME' },
        { begin: 16, end: 28, type: 'PHONE' },
      ],
    },
    { id: '2', kind: 'note', text: 'FAIL this note', entities: [{ begin: 0, end: 4, type: 'NAME' }] },
  ],
});

/** Finds names only, returns one out-of-range span, and rejects notes starting with FAIL. */
const fakeDetector = {
  name: 'fake',
  label: 'fake',
  simulated: false,
  async detect(text: string): Promise<PhiSpan[]> {
    if (text.startsWith('FAIL')) throw new Error('boom');
    return [
      { begin: 0, end: 8, type: 'NAME', score: 1 },
      { begin: 0, end: text.length + 5, type: 'ID', score: 1 },
    ];
  },
  prepare: () => undefined,
  remarks: () => [],
} satisfies BenchDetector;

const settings = { minThroughputBytes: 2_000, largeNoteBytes: 1_000, largeNoteRepeats: 1, topMisses: 5 };

describe('runDetector', () => {
  it('scores a rejected note as nothing found and drops invalid spans, counting both', async () => {
    const result = await runDetector(fakeDetector, corpus(true), settings);

    expect(result.failedNotes).toBe(1);
    expect(result.invalidSpans).toBe(1);
    expect(result.scores.recall).toBeCloseTo(1 / 3);
    expect(result.scores.precision).toBe(1);
    expect(result.throughput.bytes).toBeGreaterThanOrEqual(2_000);
    expect(result.throughput.method).toBe('detect');
    expect(result.largeNote.bytes).toBeGreaterThanOrEqual(1_000);
  });

  it('reports misses of a real corpus as counts per type and shape, never their text', async () => {
    const result = await runDetector(fakeDetector, corpus(false), settings);

    expect(result.topMisses).toEqual([
      { type: 'NAME', shape: 'A', count: 1 },
      { type: 'PHONE', shape: '999-999-9999', count: 1 },
    ]);
    expect(JSON.stringify(result)).not.toContain('217-555-0134');
  });
});
