import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  type RetryWithBackoffOptions,
  retryWithBackoff,
  type Sleep,
  untilAborted,
} from '../../../shared/adapters/retry-with-backoff.ts';

class Transient extends Error {}
class Fatal extends Error {}

function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (milliseconds) => void waits.push(milliseconds) };
}

/** An attempt that fails with each of `failures` in turn, then resolves with the attempt number. */
function failingThen(failures: readonly unknown[]): { attempt: (n: number) => Promise<number>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    attempt: async (attemptNumber) => {
      calls++;
      const failure = failures[attemptNumber - 1];
      if (failure !== undefined) throw failure;
      return attemptNumber;
    },
  };
}

function options(overrides: Partial<RetryWithBackoffOptions> = {}): RetryWithBackoffOptions {
  return {
    maxAttempts: 5,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    isRetryable: (error) => error instanceof Transient,
    sleep: async () => undefined,
    random: () => 0.5,
    ...overrides,
  };
}

describe('backoffDelayMs', () => {
  it('stays within full jitter bounds: zero for random 0, just under the ceiling for random near 1', () => {
    const bounds = { baseDelayMs: 100, maxDelayMs: 10_000 };
    expect(backoffDelayMs(3, { ...bounds, random: () => 0 })).toBe(0);
    const top = backoffDelayMs(3, { ...bounds, random: () => 0.999_999 });
    expect(top).toBeLessThan(400);
    expect(top).toBeGreaterThan(399);
  });

  it('doubles the ceiling per attempt and caps it at maxDelayMs', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((attempt) =>
      backoffDelayMs(attempt, { baseDelayMs: 100, maxDelayMs: 1_000, random: () => 1 }),
    );
    expect(ceilings).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('raises the wait to a minimum delay, still held to maxDelayMs', () => {
    const backoff = { baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5 };
    expect(backoffDelayMs(1, backoff, 700)).toBe(700);
    expect(backoffDelayMs(1, backoff, 5_000)).toBe(1_000);
    expect(backoffDelayMs(1, backoff, 10)).toBe(50);
  });
});

describe('retryWithBackoff', () => {
  it('retries retryable failures and returns the first success', async () => {
    const { attempt, calls } = failingThen([new Transient(), new Transient()]);
    const { sleep, waits } = recordingSleep();

    const result = await retryWithBackoff(attempt, options({ sleep }));

    expect(result).toBe(3);
    expect(calls()).toBe(3);
    expect(waits).toEqual([50, 100]);
  });

  it('stops at maxAttempts and throws the last failure', async () => {
    const last = new Transient('third');
    const { attempt, calls } = failingThen([new Transient(), new Transient(), last, new Transient()]);
    const { sleep, waits } = recordingSleep();

    await expect(retryWithBackoff(attempt, options({ maxAttempts: 3, sleep }))).rejects.toBe(last);
    expect(calls()).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('does not retry a failure that is not retryable', async () => {
    const fatal = new Fatal();
    const { attempt, calls } = failingThen([fatal]);
    const { sleep, waits } = recordingSleep();

    await expect(retryWithBackoff(attempt, options({ sleep }))).rejects.toBe(fatal);
    expect(calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('reports each retry with its error and attempt number before waiting', async () => {
    const first = new Transient();
    const { attempt } = failingThen([first]);
    const retries: [unknown, number][] = [];

    await retryWithBackoff(
      attempt,
      options({ onRetry: (error, attemptNumber) => retries.push([error, attemptNumber]) }),
    );

    expect(retries).toEqual([[first, 1]]);
  });

  it('honours a minimum delay taken from the error, such as a Retry-After', async () => {
    const throttled = Object.assign(new Transient(), { retryAfterMs: 800 });
    const { attempt } = failingThen([throttled, new Transient()]);
    const { sleep, waits } = recordingSleep();

    await retryWithBackoff(
      attempt,
      options({ sleep, minimumDelayMs: (error) => (error as { retryAfterMs?: number }).retryAfterMs }),
    );

    expect(waits).toEqual([800, 100]);
  });

  it('throws the signal reason without calling the attempt when already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    controller.abort(reason);
    const { attempt, calls } = failingThen([]);

    await expect(retryWithBackoff(attempt, options({ signal: controller.signal }))).rejects.toBe(reason);
    expect(calls()).toBe(0);
  });

  it('stops retrying when the signal aborts during a wait', async () => {
    const controller = new AbortController();
    const { attempt, calls } = failingThen([new Transient(), new Transient()]);
    const sleep: Sleep = async (_milliseconds, signal) => {
      controller.abort(new Error('deadline'));
      signal?.throwIfAborted();
    };

    await expect(retryWithBackoff(attempt, options({ sleep, signal: controller.signal }))).rejects.toThrow('deadline');
    expect(calls()).toBe(1);
  });

  it('does not start another attempt after an abort even when the sleep ignores the signal', async () => {
    const controller = new AbortController();
    const { attempt, calls } = failingThen([new Transient(), new Transient()]);
    const sleep: Sleep = async () => controller.abort(new Error('deadline'));

    await expect(retryWithBackoff(attempt, options({ sleep, signal: controller.signal }))).rejects.toThrow('deadline');
    expect(calls()).toBe(1);
  });
});

describe('untilAborted', () => {
  it('resolves with the work when the signal does not abort', async () => {
    await expect(untilAborted(Promise.resolve('done'), new AbortController().signal)).resolves.toBe('done');
  });

  it('passes the work rejection through', async () => {
    const failure = new Error('failed');
    await expect(untilAborted(Promise.reject(failure), new AbortController().signal)).rejects.toBe(failure);
  });

  it('rejects with the signal reason as soon as it aborts, though the work never settles', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = untilAborted(new Promise<never>(() => undefined), controller.signal);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects at once with the given abort reason when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const timedOut = new DOMException('call timed out', 'TimeoutError');
    await expect(untilAborted(new Promise<never>(() => undefined), controller.signal, () => timedOut)).rejects.toBe(
      timedOut,
    );
  });
});
