/** A PhiDetector that runs several detectors on the same text at once and returns the union of what they found. */
import { ServiceUnavailable } from '../errors/domain-errors.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';
import type { PhiSpan } from './phi-types.ts';
import { mergeSpans } from './span-set.ts';

/**
 * A member detector failed, so the ensemble returns nothing: the union of the others could miss what the failed
 * one would have found. Carries the member's name and its error's name, never its message.
 */
export class EnsembleMemberFailed extends ServiceUnavailable {
  readonly memberErrorName: string;

  constructor(
    readonly detector: string,
    memberError: unknown,
  ) {
    super('PHI_DETECTION_FAILED', `PHI detector ${detector} failed`, { detector });
    this.memberErrorName = memberError instanceof Error ? memberError.name : typeof memberError;
  }
}

/** A member's spans must lie inside the text it was given; anything else is a bug that could misplace a redaction. */
function checkInRange(spans: readonly PhiSpan[], length: number): void {
  for (const span of spans) {
    if (span.end > length) throw new RangeError('PHI span ends beyond the text');
  }
}

export class EnsembleDetector implements PhiDetector {
  readonly name: string;
  private readonly detectors: readonly PhiDetector[];

  constructor(detectors: readonly PhiDetector[]) {
    if (detectors.length === 0) throw new RangeError('An ensemble needs at least one detector');
    this.detectors = [...detectors];
    this.name = `ensemble(${detectors.map((detector) => detector.name).join('+')})`;
  }

  async detect(text: string, signal?: AbortSignal): Promise<PhiSpan[]> {
    // The first failure stops the other members: their answers can no longer be used.
    const members = new AbortController();
    const abortFromCaller = (): void => members.abort(signal?.reason);
    if (signal?.aborted) abortFromCaller();
    signal?.addEventListener('abort', abortFromCaller, { once: true });
    let firstFailure: EnsembleMemberFailed | undefined;
    const runs = this.detectors.map(async (detector) => {
      try {
        const spans = await detector.detect(text, members.signal);
        checkInRange(spans, text.length);
        // Merging per member also validates its bounds, so a malformed span is blamed on the member that made it.
        return mergeSpans(spans);
      } catch (error) {
        firstFailure ??= new EnsembleMemberFailed(detector.name, error);
        members.abort();
        throw firstFailure;
      }
    });
    try {
      return mergeSpans((await Promise.all(runs)).flat());
    } finally {
      signal?.removeEventListener('abort', abortFromCaller);
    }
  }
}
