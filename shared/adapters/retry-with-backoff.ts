/** Retries an adapter's call with capped exponential backoff and full jitter, and races promises against an AbortSignal. */
import { setTimeout as delay } from 'node:timers/promises';

export type Sleep = (milliseconds: number, signal?: AbortSignal) => Promise<void>;

export const defaultSleep: Sleep = (milliseconds, signal) => delay(milliseconds, undefined, { signal });

export interface BackoffOptions {
  /** Upper bound of the first retry's jittered delay; doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** In [0, 1); injected for tests. */
  readonly random: () => number;
}

export interface RetryWithBackoffOptions extends BackoffOptions {
  /** Calls, the first included, before a retryable error is thrown as it is. */
  readonly maxAttempts: number;
  /** Whether another attempt may succeed after `error`; anything else is thrown at once. */
  readonly isRetryable: (error: unknown) => boolean;
  readonly sleep: Sleep;
  /** Checked before every attempt (its reason is thrown) and handed to `sleep`, whose rejection is thrown. */
  readonly signal?: AbortSignal;
  /** A floor the server asked for (e.g. Retry-After), still held to `maxDelayMs`. */
  readonly minimumDelayMs?: (error: unknown) => number | undefined;
  /** Called before the wait that follows a retryable failure, e.g. to log it. */
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * The wait after failed attempt `attempt` (1-based): full jitter below a ceiling that doubles from `baseDelayMs` up to
 * `maxDelayMs`, so throttled callers and other instances do not retry in step.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, minimumDelayMs?: number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const jittered = options.random() * ceiling;
  return minimumDelayMs === undefined ? jittered : Math.min(options.maxDelayMs, Math.max(jittered, minimumDelayMs));
}

/** Runs `attempt` (given its 1-based number) until it succeeds, fails for good, or `maxAttempts` is spent. */
export async function retryWithBackoff<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryWithBackoffOptions,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!options.isRetryable(error) || attemptNumber >= options.maxAttempts) throw error;
      options.onRetry?.(error, attemptNumber);
      await options.sleep(backoffDelayMs(attemptNumber, options, options.minimumDelayMs?.(error)), options.signal);
    }
  }
}

/**
 * Rejects as soon as `signal` aborts, whether or not `work` honours the signal itself: with `abortReason()` when
 * given, else with the signal's reason.
 */
export function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal,
  abortReason: () => unknown = () => signal.reason,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason());
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
