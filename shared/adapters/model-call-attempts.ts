/** Runs a ModelClient adapter's call as timed, jitter-retried attempts and turns their failures into `ModelCallFailed`. */
import { log } from '../observability/telemetry.ts';
import { ModelCallFailed, type ModelRequest } from '../ports/model-client.ts';
import { defaultSleep, retryWithBackoff, type Sleep } from './retry-with-backoff.ts';

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_BASE_DELAY_MS = 250;
const DEFAULT_MAX_DELAY_MS = 8_000;

export type ModelCallMode = 'complete' | 'stream';

/** What the attempts need of a request: the model to name in logs and the caller's signal. */
export type ModelCall = Pick<ModelRequest, 'modelId' | 'signal'>;

/** The retry settings an adapter exposes to its composition root, all optional. */
export interface ModelCallRetryOptions {
  /** Per attempt, the whole stream included; a timed-out attempt is retried. */
  readonly timeoutMs?: number;
  /** Calls per request, the first included, before a retryable error fails the request. */
  readonly maxAttempts?: number;
  /** Upper bound of the first retry's jittered delay; doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Injected for tests: `random` in [0, 1). */
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Injected for tests, in monotonic milliseconds. */
  readonly now?: () => number;
}

/** A call that succeeded: its value, the attempts it took, and its latency with every retry and wait included. */
export interface ModelCallOutcome<T> {
  readonly value: T;
  readonly attempts: number;
  readonly latencyMs: number;
}

/** How an adapter judges one failed attempt: what the port will see, and whether another attempt may succeed. */
export interface AttemptFailure {
  readonly failure: ModelCallFailed;
  readonly retryable: boolean;
  /** A wait the server asked for (e.g. Retry-After): a floor for the next delay, still held to `maxDelayMs`. */
  readonly serverDelayMs?: number;
}

export interface ModelCallAttemptsOptions extends ModelCallRetryOptions {
  /** A constant naming the adapter in log messages (`<label> model call retried`); never request content. */
  readonly label: string;
  /**
   * Judges what an attempt threw, the adapter's own `ModelCallFailed` included. Caller aborts, attempt timeouts and
   * errors from the caller's `onDelta` never reach it.
   */
  readonly classify: (error: unknown) => AttemptFailure;
}

/** What the port sees of an error: its class name, never its message (which may quote the prompt). */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function positiveInteger(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${option} must be a positive integer`);
  return value;
}

/** An error thrown by the caller's own `onDelta`: passed through untouched, never retried or renamed. */
class DeltaHandlerError {
  constructor(readonly error: unknown) {}
}

/** A failed attempt as judged, carried through the retry loop. */
class AttemptFailed {
  constructor(readonly judged: AttemptFailure) {}
}

export class ModelCallAttempts {
  private readonly label: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly classify: (error: unknown) => AttemptFailure;

  constructor(options: ModelCallAttemptsOptions) {
    this.label = options.label;
    this.timeoutMs = positiveInteger(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.maxAttempts = positiveInteger(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 'maxAttempts');
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => performance.now());
    this.classify = options.classify;
  }

  /** Runs `attempt` until it succeeds or fails for good; throws `ModelCallFailed`. */
  complete<T>(request: ModelCall, attempt: (signal: AbortSignal) => Promise<T>): Promise<ModelCallOutcome<T>> {
    return this.run(request, 'complete', attempt);
  }

  /**
   * As `complete`, with `deliver` handing text to `onDelta`. Once text has been delivered a failure is not retried,
   * and whatever `onDelta` throws is rethrown as it is.
   */
  stream<T>(
    request: ModelCall,
    onDelta: (text: string) => void,
    attempt: (signal: AbortSignal, deliver: (text: string) => void) => Promise<T>,
  ): Promise<ModelCallOutcome<T>> {
    let delivered = false;
    const deliver = (text: string): void => {
      delivered = true;
      try {
        onDelta(text);
      } catch (error) {
        throw new DeltaHandlerError(error);
      }
    };
    // Text already handed to the caller cannot be taken back, so a stream that failed part-way is not retried.
    return this.run(
      request,
      'stream',
      (signal) => attempt(signal, deliver),
      () => !delivered,
    );
  }

  private async run<T>(
    request: ModelCall,
    mode: ModelCallMode,
    attempt: (signal: AbortSignal) => Promise<T>,
    mayRetry: () => boolean = () => true,
  ): Promise<ModelCallOutcome<T>> {
    const startedAt = this.now();
    const caller = request.signal;
    let attempts = 0;
    try {
      const value = await retryWithBackoff(
        (attemptNumber) => {
          attempts = attemptNumber;
          return this.attemptOnce(caller, attempt);
        },
        {
          maxAttempts: this.maxAttempts,
          baseDelayMs: this.baseDelayMs,
          maxDelayMs: this.maxDelayMs,
          random: this.random,
          sleep: async (milliseconds) => {
            try {
              await this.sleep(milliseconds, caller);
            } catch {
              throw new AttemptFailed({
                failure: new ModelCallFailed('TIMEOUT', errorName(caller?.reason)),
                retryable: false,
              });
            }
          },
          isRetryable: (error) => error instanceof AttemptFailed && error.judged.retryable && mayRetry(),
          minimumDelayMs: (error) => (error as AttemptFailed).judged.serverDelayMs,
          onRetry: (error, attemptNumber) => {
            const { failure } = (error as AttemptFailed).judged;
            log.warn(`${this.label} model call retried`, {
              modelId: request.modelId,
              mode,
              attempt: attemptNumber,
              reason: failure.reason,
              errorName: failure.causeName,
            });
          },
        },
      );
      return { value, attempts, latencyMs: Math.max(0, Math.round(this.now() - startedAt)) };
    } catch (error) {
      if (error instanceof AttemptFailed) throw this.failed(request, mode, attempts, error.judged.failure);
      throw error;
    }
  }

  /** One attempt under its own timeout; throws `AttemptFailed`, or what the caller's `onDelta` threw. */
  private async attemptOnce<T>(
    caller: AbortSignal | undefined,
    attempt: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (caller?.aborted) {
      throw new AttemptFailed({ failure: new ModelCallFailed('TIMEOUT', 'AbortError'), retryable: false });
    }
    const controller = new AbortController();
    const onCallerAbort = (): void => controller.abort(caller?.reason);
    caller?.addEventListener('abort', onCallerAbort, { once: true });
    const timer = setTimeout(
      () => controller.abort(new DOMException('attempt timed out', 'TimeoutError')),
      this.timeoutMs,
    );
    try {
      return await attempt(controller.signal);
    } catch (error) {
      if (error instanceof DeltaHandlerError) throw error.error;
      if (caller?.aborted) {
        // The caller gave up (its own deadline, a closed connection): a timeout to the port, never retried.
        throw new AttemptFailed({
          failure: new ModelCallFailed('TIMEOUT', errorName(caller.reason)),
          retryable: false,
        });
      }
      if (controller.signal.aborted) {
        throw new AttemptFailed({ failure: new ModelCallFailed('TIMEOUT', 'TimeoutError'), retryable: true });
      }
      throw new AttemptFailed(this.classify(error));
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    }
  }

  private failed(request: ModelCall, mode: ModelCallMode, attempts: number, failure: ModelCallFailed): ModelCallFailed {
    log.warn(`${this.label} model call failed`, {
      modelId: request.modelId,
      mode,
      attempts,
      reason: failure.reason,
      errorName: failure.causeName,
    });
    return failure;
  }
}
