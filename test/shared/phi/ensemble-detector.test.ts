import { describe, expect, it } from 'vitest';
import { EnsembleDetector, EnsembleMemberFailed } from '../../../shared/phi/ensemble-detector.ts';
import type { PhiSpan } from '../../../shared/phi/phi-types.ts';
import type { PhiDetector } from '../../../shared/ports/phi-detector.ts';

const TEXT = 'John Smith, seen 01/02/2024, MRN 445566.';

/** A member that answers with fixed spans and remembers the signal it was given. */
function fixedDetector(name: string, spans: PhiSpan[]) {
  const seen: { signal?: AbortSignal } = {};
  const detector = {
    name,
    detect: async (_text: string, signal?: AbortSignal) => {
      if (signal !== undefined) seen.signal = signal;
      return spans;
    },
  } satisfies PhiDetector;
  return { detector, seen };
}

/** A member that never answers until its signal aborts. */
function hangingDetector(name: string) {
  const seen: { signal?: AbortSignal } = {};
  const detector = {
    name,
    detect: (_text: string, signal?: AbortSignal) =>
      new Promise<PhiSpan[]>((_resolve, reject) => {
        if (signal !== undefined) seen.signal = signal;
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  } satisfies PhiDetector;
  return { detector, seen };
}

const failingDetector = {
  name: 'rules',
  detect: async () => {
    throw new TypeError('John Smith broke the parser');
  },
} satisfies PhiDetector;

describe('EnsembleDetector', () => {
  it('is named for its members', () => {
    const a = fixedDetector('comprehend-medical', []).detector;
    const b = fixedDetector('rules', []).detector;

    expect(new EnsembleDetector([a, b]).name).toBe('ensemble(comprehend-medical+rules)');
  });

  it('refuses to be built without detectors', () => {
    expect(() => new EnsembleDetector([])).toThrow(RangeError);
  });

  it('returns the union of what its members found, merging spans that overlap', async () => {
    const comprehend = fixedDetector('comprehend-medical', [
      { begin: 0, end: 10, type: 'NAME', score: 0.99, detector: 'comprehend-medical' },
      { begin: 17, end: 27, type: 'DATE', score: 0.95, detector: 'comprehend-medical' },
    ]);
    const rules = fixedDetector('rules', [
      { begin: 5, end: 10, type: 'NAME', score: 0.6, detector: 'rules' },
      { begin: 29, end: 39, type: 'MRN', score: 0.9, detector: 'rules' },
    ]);

    const spans = await new EnsembleDetector([comprehend.detector, rules.detector]).detect(TEXT);

    expect(spans).toEqual([
      { begin: 0, end: 10, type: 'NAME', score: 0.99, detector: 'comprehend-medical+rules' },
      { begin: 17, end: 27, type: 'DATE', score: 0.95, detector: 'comprehend-medical' },
      { begin: 29, end: 39, type: 'MRN', score: 0.9, detector: 'rules' },
    ]);
    expect(TEXT.slice(29, 39)).toBe('MRN 445566');
  });

  it('rejects with the failed member named, and no text, when any member rejects', async () => {
    const comprehend = fixedDetector('comprehend-medical', [{ begin: 0, end: 10, type: 'NAME', score: 0.99 }]);

    const error = await new EnsembleDetector([comprehend.detector, failingDetector]).detect(TEXT).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(EnsembleMemberFailed);
    expect(error).toMatchObject({
      detector: 'rules',
      memberErrorName: 'TypeError',
      code: 'PHI_DETECTION_FAILED',
      status: 503,
    });
    expect(String((error as Error).message)).not.toContain('John');
  });

  it('stops the other members once one fails', async () => {
    const slow = hangingDetector('comprehend-medical');

    await expect(new EnsembleDetector([slow.detector, failingDetector]).detect(TEXT)).rejects.toMatchObject({
      detector: 'rules',
    });
    expect(slow.seen.signal?.aborted).toBe(true);
  });

  it("passes the caller's abort on to every member", async () => {
    const slow = hangingDetector('comprehend-medical');
    const caller = new AbortController();

    const detection = new EnsembleDetector([slow.detector]).detect(TEXT, caller.signal);
    caller.abort();

    await expect(detection).rejects.toMatchObject({ detector: 'comprehend-medical', memberErrorName: 'AbortError' });
  });

  it('blames a member whose spans fall outside the text', async () => {
    const broken = fixedDetector('rules', [{ begin: 30, end: TEXT.length + 5, type: 'MRN', score: 1 }]);

    await expect(new EnsembleDetector([broken.detector]).detect(TEXT)).rejects.toMatchObject({
      detector: 'rules',
      memberErrorName: 'RangeError',
    });
  });
});
