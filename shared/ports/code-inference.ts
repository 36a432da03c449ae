/** Port: infers ICD-10-CM codes from (de-identified) clinical text, for a certified coder to review. */
import { ServiceUnavailable } from '../errors/domain-errors.ts';

export interface InferredCode {
  readonly code: string;
  readonly description: string;
  /** 0..1 confidence reported by the inference engine (the offline stand-in reports fixed values). */
  readonly score: number;
  /** The words in the text the code was inferred from (tokenized text, so PHI-free). */
  readonly text: string;
  /** The condition was documented as absent ("denies chest pain"): never evidence for the code. */
  readonly negated: boolean;
}

export interface CodeInference {
  readonly name: string;
  /** true for the offline table matcher: never a substitute for a coder or a clinical inference service. */
  readonly isStandIn: boolean;
  /** Rejects (never resolves partially) when any part of the text could not be examined, so callers fail closed. */
  inferIcd10Cm(text: string, signal?: AbortSignal): Promise<readonly InferredCode[]>;
}

export const CODE_INFERENCE_FAILURE_REASONS = [
  'THROTTLED',
  'UNAVAILABLE',
  'REJECTED',
  'INVALID_RESPONSE',
  'TRUNCATED',
  'ABORTED',
  'UNEXPECTED',
] as const;
export type CodeInferenceFailureReason = (typeof CODE_INFERENCE_FAILURE_REASONS)[number];

/**
 * Some part of the text could not be examined, so no codes are returned at all (a partial list would read as
 * "not documented"). Only the original error's name is kept: SDK messages can quote request content.
 */
export class CodeInferenceFailed extends ServiceUnavailable {
  constructor(
    readonly reason: CodeInferenceFailureReason,
    readonly causeName?: string,
  ) {
    super('CODE_INFERENCE_FAILED', `Code inference failed (${reason})`, { reason });
    this.name = 'CodeInferenceFailed';
  }
}

/** The port in a function without the `codes:infer` capability: every call fails closed, nothing is inferred. */
export class UngrantedCodeInference implements CodeInference {
  readonly name = 'none';
  readonly isStandIn = false;

  async inferIcd10Cm(): Promise<readonly InferredCode[]> {
    throw new CodeInferenceFailed('UNAVAILABLE');
  }
}
