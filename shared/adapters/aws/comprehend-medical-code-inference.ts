/**
 * CodeInference on Amazon Comprehend Medical InferICD10CM: byte-limited chunks, held to the character quota, retried
 * with jitter, fail-closed. Reuses the PHI detector's chunking, quota budget and error classification.
 */
import {
  ComprehendMedicalClient,
  type ICD10CMEntity,
  ICD10CMTraitName,
  InferICD10CMCommand,
  type InferICD10CMResponse,
} from '@aws-sdk/client-comprehendmedical';
import { log, tracer } from '../../observability/telemetry.ts';
import { splitIntoChunks, type TextChunk } from '../../phi/text-chunks.ts';
import {
  type CodeInference,
  CodeInferenceFailed,
  type CodeInferenceFailureReason,
  type InferredCode,
} from '../../ports/code-inference.ts';
import { defaultSleep, retryWithBackoff, type Sleep, untilAborted } from '../retry-with-backoff.ts';
import { CharacterBudget, classify, type Disposition, errorName } from './comprehend-medical-detector.ts';

const INFERENCE_NAME = 'comprehend-medical-icd10cm';

// InferICD10CM takes 1 to 10,000 characters; a chunk under 9,000 UTF-8 bytes is under 9,000 characters too.
const DEFAULT_MAX_CHUNK_BYTES = 9_000;
// Longer than any condition phrase, so a phrase cut at one chunk's end is whole at the next one's start.
const DEFAULT_OVERLAP_CHARS = 200;
// The account default is 40,000 characters per second for InferICD10CM (Comprehend Medical quotas).
const DEFAULT_CHARACTERS_PER_SECOND = 40_000;
const DEFAULT_MAX_ATTEMPTS = 6;
const DEFAULT_BASE_DELAY_MS = 100;
const DEFAULT_MAX_DELAY_MS = 5_000;

const FINAL_REASON: Readonly<Record<Disposition, CodeInferenceFailureReason>> = {
  throttled: 'THROTTLED',
  transient: 'UNAVAILABLE',
  rejected: 'REJECTED',
  unexpected: 'UNEXPECTED',
};
const RETRYABLE: ReadonlySet<CodeInferenceFailureReason> = new Set(['THROTTLED', 'UNAVAILABLE']);

/**
 * Conditions of a relative, or raised only as a hypothesis ("rule out pneumonia"), are not the patient's documented
 * conditions: they neither support a claimed code nor suggest a missing one, so they are not reported.
 */
const NOT_THE_PATIENTS: ReadonlySet<string> = new Set([
  ICD10CMTraitName.PERTAINS_TO_FAMILY,
  ICD10CMTraitName.HYPOTHETICAL,
]);

export interface ComprehendMedicalCodeInferenceOptions {
  /** Every InferICD10CM request's text is under this many UTF-8 bytes. */
  readonly maxChunkBytes?: number;
  readonly overlapChars?: number;
  readonly charactersPerSecond?: number;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Injected for tests. */
  readonly sleep?: Sleep;
  readonly now?: () => number;
  readonly random?: () => number;
}

function traitNames(entity: ICD10CMEntity): Set<string> {
  return new Set((entity.Traits ?? []).map((trait) => trait.Name ?? ''));
}

/** The entity's best concept as an inferred code; undefined for entities with no concept or not the patient's. */
function toInferredCode(entity: ICD10CMEntity): InferredCode | undefined {
  const traits = traitNames(entity);
  if ([...traits].some((name) => NOT_THE_PATIENTS.has(name))) return undefined;
  const best = [...(entity.ICD10CMConcepts ?? [])].sort((a, b) => (b.Score ?? 0) - (a.Score ?? 0))[0];
  if (best === undefined) return undefined;
  if (typeof best.Code !== 'string' || best.Code === '' || typeof entity.Text !== 'string') {
    throw new CodeInferenceFailed('INVALID_RESPONSE');
  }
  return {
    code: best.Code.toUpperCase(),
    description: best.Description ?? '',
    score: best.Score ?? 0,
    text: entity.Text,
    negated: traits.has(ICD10CMTraitName.NEGATION),
  };
}

function toCodes(output: InferICD10CMResponse): InferredCode[] {
  if (output.Entities === undefined) throw new CodeInferenceFailed('INVALID_RESPONSE');
  // InferICD10CM takes no pagination token, so a truncated answer cannot be completed: fail rather than under-report.
  if (output.PaginationToken !== undefined && output.PaginationToken !== '') throw new CodeInferenceFailed('TRUNCATED');
  return output.Entities.flatMap((entity) => toInferredCode(entity) ?? []);
}

/**
 * One entry per code and polarity, with the best score and its words: chunks overlap, so the same mention can be
 * reported twice, and the coder needs the codes rather than every repetition.
 */
function mergeMentions(codes: readonly InferredCode[]): InferredCode[] {
  const best = new Map<string, InferredCode>();
  for (const code of codes) {
    const key = `${code.code}|${code.negated}`;
    const current = best.get(key);
    if (current === undefined || code.score > current.score) best.set(key, code);
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
}

export class ComprehendMedicalCodeInference implements CodeInference {
  readonly name = INFERENCE_NAME;
  readonly isStandIn = false;
  private readonly maxChunkBytes: number;
  private readonly overlapChars: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly budget: CharacterBudget;

  constructor(
    private readonly client: ComprehendMedicalClient,
    options: ComprehendMedicalCodeInferenceOptions = {},
  ) {
    this.maxChunkBytes = options.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES;
    this.overlapChars = options.overlapChars ?? DEFAULT_OVERLAP_CHARS;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    const charactersPerSecond = options.charactersPerSecond ?? DEFAULT_CHARACTERS_PER_SECOND;
    if (!(charactersPerSecond > 0)) throw new RangeError('charactersPerSecond must be positive');
    this.budget = new CharacterBudget(charactersPerSecond, options.now ?? (() => performance.now()), this.sleep);
  }

  /** An inference on a traced client whose own retries are off, so this class's backoff is the only one. */
  static create(region: string, options?: ComprehendMedicalCodeInferenceOptions): ComprehendMedicalCodeInference {
    const client = tracer.captureAWSv3Client(new ComprehendMedicalClient({ region, maxAttempts: 1 }));
    return new ComprehendMedicalCodeInference(client, options);
  }

  async inferIcd10Cm(text: string, signal?: AbortSignal): Promise<readonly InferredCode[]> {
    if (signal?.aborted) throw new CodeInferenceFailed('ABORTED', errorName(signal.reason));
    if (text.trim() === '') return [];
    const chunks = splitIntoChunks(text, { maxBytes: this.maxChunkBytes, overlapChars: this.overlapChars });
    const inFlight = new AbortController();
    const abortFromCaller = (): void => inFlight.abort(signal?.reason);
    signal?.addEventListener('abort', abortFromCaller, { once: true });
    const found: InferredCode[] = [];
    try {
      // One chunk at a time: documentation is short, and a failure must stop before the next call.
      for (const [index, chunk] of chunks.entries()) {
        found.push(...(await this.inferChunk(chunk, index, inFlight.signal)));
      }
    } catch (error) {
      const failure =
        error instanceof CodeInferenceFailed
          ? error
          : new CodeInferenceFailed(signal?.aborted ? 'ABORTED' : 'UNEXPECTED', errorName(error));
      log.warn('comprehend medical code inference failed', {
        reason: failure.reason,
        errorName: failure.causeName,
        chunks: chunks.length,
      });
      throw failure;
    } finally {
      signal?.removeEventListener('abort', abortFromCaller);
    }
    const codes = mergeMentions(found);
    log.debug('comprehend medical code inference complete', { chunks: chunks.length, codes: codes.length });
    return codes;
  }

  private async inferChunk(chunk: TextChunk, index: number, signal: AbortSignal): Promise<InferredCode[]> {
    return retryWithBackoff(
      async () => {
        await this.budget.take(chunk.text.length, signal);
        let output: InferICD10CMResponse;
        try {
          output = await untilAborted(
            this.client.send(new InferICD10CMCommand({ Text: chunk.text }), { abortSignal: signal }),
            signal,
          );
        } catch (error) {
          if (signal.aborted) throw new CodeInferenceFailed('ABORTED', errorName(error));
          throw new CodeInferenceFailed(FINAL_REASON[classify(error)], errorName(error));
        }
        return toCodes(output);
      },
      {
        maxAttempts: this.maxAttempts,
        baseDelayMs: this.baseDelayMs,
        maxDelayMs: this.maxDelayMs,
        sleep: this.sleep,
        random: this.random,
        signal,
        isRetryable: (error) => error instanceof CodeInferenceFailed && RETRYABLE.has(error.reason),
        onRetry: (error, attempt) => {
          log.warn('comprehend medical code inference retried', {
            chunk: index,
            attempt,
            errorName: (error as CodeInferenceFailed).causeName,
          });
        },
      },
    );
  }
}
