/** Port: finds PHI spans in text (Comprehend Medical in AWS, the rule-based detector locally, or both). */
import type { PhiSpan } from '../phi/phi-types.ts';

export interface PhiDetector {
  readonly name: string;
  /**
   * Returns every span found, sorted by `begin`. Rejects (never resolves partially) when any part of the text
   * could not be examined, so callers fail closed.
   */
  detect(text: string, signal?: AbortSignal): Promise<PhiSpan[]>;
}
