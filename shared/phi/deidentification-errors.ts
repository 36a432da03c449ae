/** Why de-identification refused to produce output: it fails closed, so these are 503s, never partial text. */
import { ServiceUnavailable } from '../errors/domain-errors.ts';

export class DeidentificationFailed extends ServiceUnavailable {
  constructor(reason: 'DETECTOR_FAILED' | 'DETECTOR_INVALID_OUTPUT' | 'VAULT_FAILED') {
    super('DEID_FAILED', 'De-identification could not be completed; no text was released', { reason });
  }
}
