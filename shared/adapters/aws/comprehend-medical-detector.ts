/** PhiDetector on Amazon Comprehend Medical DetectPHI: chunked, held to the quota, retried with jitter, fail-closed. */
import {
  ComprehendMedicalClient,
  DetectPHICommand,
  type DetectPHIResponse,
  type Entity,
  EntityType,
  InternalServerException,
  InvalidEncodingException,
  InvalidRequestException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  TextSizeLimitExceededException,
  TooManyRequestsException,
  ValidationException,
} from '@aws-sdk/client-comprehendmedical';
import { ServiceUnavailable } from '../../errors/domain-errors.ts';
import { log, tracer } from '../../observability/telemetry.ts';
import type { PhiSpan, PhiType } from '../../phi/phi-types.ts';
import { mergeSpans } from '../../phi/span-set.ts';
import {
  DEFAULT_MAX_CHUNK_BYTES,
  DEFAULT_OVERLAP_CHARS,
  splitIntoChunks,
  type TextChunk,
} from '../../phi/text-chunks.ts';
import type { PhiDetector } from '../../ports/phi-detector.ts';
import { defaultSleep, retryWithBackoff, type Sleep, untilAborted } from '../retry-with-backoff.ts';

const DETECTOR_NAME = 'comprehend-medical';

// Account defaults for DetectPHI are 100 TPS and 40,000 characters per second (Comprehend Medical quotas).
const DEFAULT_CHARACTERS_PER_SECOND = 40_000;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_MAX_ATTEMPTS = 6;
const DEFAULT_BASE_DELAY_MS = 100;
const DEFAULT_MAX_DELAY_MS = 5_000;
// How far before a PHONE_OR_FAX entity we look for the label that says which one it is.
const CONTACT_LABEL_WINDOW = 32;

export const PHI_DETECTION_FAILURE_REASONS = [
  'THROTTLED',
  'UNAVAILABLE',
  'REJECTED',
  'INVALID_RESPONSE',
  'TRUNCATED',
  'ABORTED',
  'UNEXPECTED',
] as const;
export type PhiDetectionFailureReason = (typeof PHI_DETECTION_FAILURE_REASONS)[number];

/**
 * Some part of the text could not be examined, so no spans are returned at all. Only the original error's name
 * is kept (never the error): SDK messages can quote request content, and loggers serialise `cause`.
 */
export class PhiDetectionFailed extends ServiceUnavailable {
  constructor(
    readonly reason: PhiDetectionFailureReason,
    readonly causeName?: string,
  ) {
    super('PHI_DETECTION_FAILED', `PHI detection failed (${reason})`, { reason });
  }
}

export type { Sleep };

export interface ComprehendMedicalDetectorOptions {
  /** Every DetectPHI request's text is under this many UTF-8 bytes (the API limit is 20,000). */
  readonly maxChunkBytes?: number;
  /** Characters shared by consecutive chunks, so an identifier across a cut is seen whole once. */
  readonly overlapChars?: number;
  /** DetectPHI calls in flight at once for one `detect`. */
  readonly concurrency?: number;
  /** Characters sent per second by this detector, across all its calls and retries. */
  readonly charactersPerSecond?: number;
  /** Calls per chunk, the first included, before a retryable error fails the detection. */
  readonly maxAttempts?: number;
  /** Upper bound of the first retry's jittered delay; doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Injected for tests, with `now` (milliseconds, monotonic) and `random` (in [0, 1)). */
  readonly sleep?: Sleep;
  readonly now?: () => number;
  readonly random?: () => number;
}

/**
 * A token bucket holding one second of characters. Each call reserves its characters before waiting, so
 * concurrent chunks queue behind one another instead of all waking together. It smooths one process only: other
 * Lambda instances share the account quota, which is why throttling is still retried.
 */
export class CharacterBudget {
  private available: number;
  private refilledAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
    private readonly sleep: Sleep,
  ) {
    this.available = perSecond;
    this.refilledAt = now();
  }

  async take(characters: number, signal: AbortSignal): Promise<void> {
    const now = this.now();
    this.available = Math.min(this.perSecond, this.available + ((now - this.refilledAt) * this.perSecond) / 1000);
    this.refilledAt = now;
    this.available -= characters;
    if (this.available < 0) await this.sleep((-this.available * 1000) / this.perSecond, signal);
  }
}

export type Disposition = 'throttled' | 'transient' | 'rejected' | 'unexpected';

const FINAL_REASON: Readonly<Record<Disposition, PhiDetectionFailureReason>> = {
  throttled: 'THROTTLED',
  transient: 'UNAVAILABLE',
  rejected: 'REJECTED',
  unexpected: 'UNEXPECTED',
};
const RETRYABLE_REASONS: ReadonlySet<PhiDetectionFailureReason> = new Set([
  FINAL_REASON.throttled,
  FINAL_REASON.transient,
]);

// Errors Comprehend Medical models, by class.
const MODELED_ERRORS: ReadonlyArray<readonly [abstract new (...args: never[]) => Error, Disposition]> = [
  [TooManyRequestsException, 'throttled'],
  [ServiceUnavailableException, 'transient'],
  [InternalServerException, 'transient'],
  [InvalidRequestException, 'rejected'],
  [TextSizeLimitExceededException, 'rejected'],
  [InvalidEncodingException, 'rejected'],
  [ValidationException, 'rejected'],
  [ResourceNotFoundException, 'rejected'],
];
// Errors any AWS JSON endpoint or the HTTP layer may return, which the SDK surfaces by name or code only.
const THROTTLING_ERROR_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
]);
const TRANSIENT_ERROR_NAMES = new Set([
  'InternalFailure',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

interface SdkErrorShape {
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $retryable?: { readonly throttling?: boolean };
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export function classify(error: unknown): Disposition {
  for (const [type, disposition] of MODELED_ERRORS) if (error instanceof type) return disposition;
  if (!(error instanceof Error)) return 'unexpected';
  const shape = error as Error & SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  if (THROTTLING_ERROR_NAMES.has(error.name) || shape.$retryable?.throttling === true || status === 429) {
    return 'throttled';
  }
  if (
    TRANSIENT_ERROR_NAMES.has(error.name) ||
    (typeof shape.code === 'string' && NETWORK_ERROR_CODES.has(shape.code)) ||
    shape.$retryable !== undefined ||
    (status !== undefined && status >= 500)
  ) {
    return 'transient';
  }
  return shape.$fault === 'client' ? 'rejected' : 'unexpected';
}

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/**
 * Maps a code point offset to a UTF-16 index in `text`. Comprehend Medical documents BeginOffset and EndOffset
 * as code point offsets ("a multi-byte UTF-8 character maps to a single code point"); JavaScript indexes UTF-16.
 */
function codePointIndexer(text: string): (codePoint: number) => number | undefined {
  if (!/[\uD800-\uDFFF]/.test(text)) return (codePoint) => (codePoint <= text.length ? codePoint : undefined);
  const indices: number[] = [];
  let index = 0;
  for (const character of text) {
    indices.push(index);
    index += character.length;
  }
  indices.push(text.length);
  return (codePoint) => indices[codePoint];
}

const COMPREHEND_PHI_TYPES: ReadonlyMap<string, PhiType> = new Map<string, PhiType>([
  ['NAME', 'NAME'],
  ['AGE', 'AGE'],
  ['DATE', 'DATE'],
  ['ADDRESS', 'ADDRESS'],
  ['ID', 'ID'],
  ['EMAIL', 'EMAIL'],
  ['PHONE_OR_FAX', 'PHONE'],
  ['URL', 'URL'],
  ['PROFESSION', 'PROFESSION'],
]);
const CONTACT_LABEL = /\b(fax|facsimile|phone|telephone|tel|cell|mobile|pager|ph)\b/gi;
const FAX_LABELS = new Set(['fax', 'facsimile']);

/** PHONE_OR_FAX is FAX when the nearest contact label before it says so ("Phone: … Fax: 555-0100"). */
function phoneOrFax(text: string, begin: number): PhiType {
  let label: string | undefined;
  for (const match of text.slice(Math.max(0, begin - CONTACT_LABEL_WINDOW), begin).matchAll(CONTACT_LABEL)) {
    label = match[1];
  }
  return label !== undefined && FAX_LABELS.has(label.toLowerCase()) ? 'FAX' : 'PHONE';
}

function phiTypeOf(entity: Entity, text: string, begin: number): PhiType {
  const type = COMPREHEND_PHI_TYPES.get(entity.Type ?? '');
  if (type === 'PHONE') return phoneOrFax(text, begin);
  // A PHI type added to the service after this code still marks PHI; ID is the Safe Harbor catch-all.
  return type ?? 'ID';
}

/** The entity's bounds in the chunk as UTF-16 indices, checked against the entity's own text. */
function locate(
  chunk: string,
  entity: Entity,
  toIndex: (codePoint: number) => number | undefined,
): { begin: number; end: number } {
  const { BeginOffset: from, EndOffset: to, Text: expected } = entity;
  if (from === undefined || to === undefined || !Number.isInteger(from) || !Number.isInteger(to) || from < 0) {
    throw new PhiDetectionFailed('INVALID_RESPONSE');
  }
  const begin = toIndex(from);
  const end = toIndex(to);
  if (begin !== undefined && end !== undefined && begin < end) {
    if (expected === undefined || chunk.slice(begin, end) === expected) return { begin, end };
  }
  // Should the service ever count UTF-16 units instead, the entity's text tells us; anything else fails closed.
  if (expected !== undefined && from < to && chunk.slice(from, to) === expected) return { begin: from, end: to };
  throw new PhiDetectionFailed('INVALID_RESPONSE');
}

function toSpans(text: string, chunk: TextChunk, output: DetectPHIResponse): PhiSpan[] {
  if (output.Entities === undefined) throw new PhiDetectionFailed('INVALID_RESPONSE');
  // DetectPHI takes no pagination token, so a truncated answer cannot be completed: fail rather than miss PHI.
  if (output.PaginationToken !== undefined && output.PaginationToken !== '') throw new PhiDetectionFailed('TRUNCATED');
  const toIndex = codePointIndexer(chunk.text);
  const spans: PhiSpan[] = [];
  for (const entity of output.Entities) {
    if (entity.Category !== undefined && entity.Category !== EntityType.PROTECTED_HEALTH_INFORMATION) continue;
    const bounds = locate(chunk.text, entity, toIndex);
    const begin = chunk.offset + bounds.begin;
    spans.push({
      begin,
      end: chunk.offset + bounds.end,
      type: phiTypeOf(entity, text, begin),
      score: entity.Score ?? 0,
      detector: DETECTOR_NAME,
    });
  }
  return spans;
}

function positiveInteger(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${option} must be a positive integer`);
  return value;
}

export class ComprehendMedicalDetector implements PhiDetector {
  readonly name = DETECTOR_NAME;
  private readonly maxChunkBytes: number;
  private readonly overlapChars: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly budget: CharacterBudget;

  constructor(
    private readonly client: ComprehendMedicalClient,
    options: ComprehendMedicalDetectorOptions = {},
  ) {
    this.maxChunkBytes = options.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES;
    this.overlapChars = options.overlapChars ?? DEFAULT_OVERLAP_CHARS;
    this.concurrency = positiveInteger(options.concurrency ?? DEFAULT_CONCURRENCY, 'concurrency');
    this.maxAttempts = positiveInteger(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 'maxAttempts');
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    const charactersPerSecond = options.charactersPerSecond ?? DEFAULT_CHARACTERS_PER_SECOND;
    if (!(charactersPerSecond > 0)) throw new RangeError('charactersPerSecond must be positive');
    this.budget = new CharacterBudget(charactersPerSecond, options.now ?? (() => performance.now()), this.sleep);
  }

  /** A detector on a traced client whose own retries are off, so this class's backoff is the only one. */
  static create(region: string, options?: ComprehendMedicalDetectorOptions): ComprehendMedicalDetector {
    const client = tracer.captureAWSv3Client(new ComprehendMedicalClient({ region, maxAttempts: 1 }));
    return new ComprehendMedicalDetector(client, options);
  }

  async detect(text: string, signal?: AbortSignal): Promise<PhiSpan[]> {
    if (signal?.aborted) throw new PhiDetectionFailed('ABORTED', errorName(signal.reason));
    if (text.length === 0) return [];
    const chunks = splitIntoChunks(text, { maxBytes: this.maxChunkBytes, overlapChars: this.overlapChars });
    // One controller per call: a failed chunk or the caller's abort stops every chunk still in flight.
    const inFlight = new AbortController();
    const abortFromCaller = (): void => inFlight.abort(signal?.reason);
    signal?.addEventListener('abort', abortFromCaller, { once: true });

    const found: PhiSpan[] = [];
    let failure: PhiDetectionFailed | undefined;
    let failedChunk: number | undefined;
    let examined = 0;
    let nextChunk = 0;
    const worker = async (): Promise<void> => {
      while (!inFlight.signal.aborted) {
        const index = nextChunk++;
        const chunk = chunks[index];
        if (chunk === undefined) return;
        try {
          found.push(...(await this.detectChunk(text, chunk, index, inFlight.signal)));
          examined++;
        } catch (error) {
          if (failure === undefined) {
            failure = this.failureOf(error, signal);
            failedChunk = index;
          }
          inFlight.abort();
          return;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.concurrency, chunks.length) }, worker));
    } finally {
      signal?.removeEventListener('abort', abortFromCaller);
    }
    if (failure === undefined && examined !== chunks.length) {
      failure = new PhiDetectionFailed(signal?.aborted ? 'ABORTED' : 'UNEXPECTED');
    }
    if (failure !== undefined) {
      log.warn('comprehend medical detection failed', {
        reason: failure.reason,
        errorName: failure.causeName,
        chunk: failedChunk,
        chunks: chunks.length,
      });
      throw failure;
    }
    const spans = mergeSpans(found);
    log.debug('comprehend medical detection complete', { chunks: chunks.length, spans: spans.length });
    return spans;
  }

  private failureOf(error: unknown, signal: AbortSignal | undefined): PhiDetectionFailed {
    if (error instanceof PhiDetectionFailed) return error;
    return new PhiDetectionFailed(signal?.aborted ? 'ABORTED' : 'UNEXPECTED', errorName(error));
  }

  private async detectChunk(text: string, chunk: TextChunk, index: number, signal: AbortSignal): Promise<PhiSpan[]> {
    return retryWithBackoff(
      async () => {
        // UTF-16 length is never below the code point count, so the budget errs towards waiting.
        await this.budget.take(chunk.text.length, signal);
        let output: DetectPHIResponse;
        try {
          output = await untilAborted(
            this.client.send(new DetectPHICommand({ Text: chunk.text }), { abortSignal: signal }),
            signal,
          );
        } catch (error) {
          if (signal.aborted) throw error;
          throw new PhiDetectionFailed(FINAL_REASON[classify(error)], errorName(error));
        }
        return toSpans(text, chunk, output);
      },
      {
        maxAttempts: this.maxAttempts,
        baseDelayMs: this.baseDelayMs,
        maxDelayMs: this.maxDelayMs,
        sleep: this.sleep,
        random: this.random,
        signal,
        // Only a failed call is retried: throttling and transient faults; a bad answer fails the chunk at once.
        isRetryable: (error) => error instanceof PhiDetectionFailed && RETRYABLE_REASONS.has(error.reason),
        onRetry: (error, attempt) => {
          log.warn('comprehend medical call retried', {
            chunk: index,
            attempt,
            errorName: (error as PhiDetectionFailed).causeName,
          });
        },
      },
    );
  }
}
