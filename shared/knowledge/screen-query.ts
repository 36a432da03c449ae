/**
 * Whether a search query may be embedded: the vector side of retrieval sends the query to an embedding model
 * (Titan in AWS), and no text reaches a model unless it is known to be free of PHI. A query with any finding, or
 * one the detector could not scan, is searched lexically only (in process) rather than refused.
 */
import { log } from '../observability/telemetry.ts';
import { detectOrFail } from '../phi/scan-text.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';

export async function isPhiFreeQuery(detector: PhiDetector, query: string): Promise<boolean> {
  try {
    return (await detectOrFail(detector, query)).length === 0;
  } catch (error) {
    log.warn('query not scanned; searching lexically only', {
      errorName: error instanceof Error ? error.name : 'unknown',
    });
    return false;
  }
}
