import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type AttemptFailure,
  type ModelCall,
  ModelCallAttempts,
  type ModelCallAttemptsOptions,
} from '../../../shared/adapters/model-call-attempts.ts';
import { logger } from '../../../shared/observability/telemetry.ts';
import { ModelCallFailed } from '../../../shared/ports/model-client.ts';

/** What a fake vendor throws; the `classify` hook below judges it by `retryable`. */
class VendorError extends Error {
  constructor(
    readonly retryable: boolean,
    readonly serverDelayMs?: number,
  ) {
    super('vendor said: secret-prompt-marker');
    this.name = retryable ? 'VendorBusy' : 'VendorRefused';
  }
}

function classifyVendor(error: unknown): AttemptFailure {
  if (error instanceof VendorError) {
    return {
      failure: new ModelCallFailed(error.retryable ? 'THROTTLED' : 'REJECTED', error.name),
      retryable: error.retryable,
      serverDelayMs: error.serverDelayMs,
    };
  }
  return { failure: new ModelCallFailed('UNAVAILABLE', 'Unknown'), retryable: false };
}

function setup(overrides: Partial<ModelCallAttemptsOptions> = {}) {
  const sleeps: number[] = [];
  const classify = vi.fn(classifyVendor);
  let clock = 1_000;
  const attempts = new ModelCallAttempts({
    label: 'fake',
    maxAttempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    random: () => 0.5,
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
      clock += milliseconds;
    },
    now: () => clock,
    classify,
    ...overrides,
  });
  return { attempts, sleeps, classify, advance: (milliseconds: number) => (clock += milliseconds) };
}

/** An attempt that throws each of `failures` in turn, then resolves with the attempt number. */
function failingThen(failures: readonly unknown[]): { attempt: () => Promise<number>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    attempt: async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
      return calls;
    },
  };
}

/** Settles with what `work` rejected with, and fails the test if it resolved. */
async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
}

/** Resolves never; rejects with the signal's reason once it aborts, as an SDK call or fetch does. */
function hangUntilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

const call: ModelCall = { modelId: 'model-a' };

afterEach(() => vi.restoreAllMocks());

describe('ModelCallAttempts', () => {
  it('retries retryable failures with jittered backoff, then returns the value, attempts and latency', async () => {
    const { attempts, sleeps, advance } = setup();
    const { attempt, calls } = failingThen([new VendorError(true), new VendorError(true)]);

    const outcome = await attempts.complete(call, async () => {
      advance(10);
      return attempt();
    });

    expect(outcome).toEqual({ value: 3, attempts: 3, latencyMs: 50 + 100 + 30 });
    expect(calls()).toBe(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('fails at once with the judged failure when the adapter says it is not retryable, and logs no prompt', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const { attempts, sleeps } = setup();
    const { attempt, calls } = failingThen([new VendorError(false)]);

    const error = await rejectionOf(attempts.complete(call, attempt));

    expect(error).toBeInstanceOf(ModelCallFailed);
    expect(error).toMatchObject({ reason: 'REJECTED', causeName: 'VendorRefused' });
    expect(calls()).toBe(1);
    expect(sleeps).toEqual([]);
    expect(warn).toHaveBeenCalledWith('fake model call failed', expect.objectContaining({ attempts: 1 }));
    expect(JSON.stringify(warn.mock.calls)).not.toContain('secret-prompt-marker');
  });

  it('gives up after maxAttempts with the last failure', async () => {
    const { attempts, sleeps } = setup({ maxAttempts: 2 });
    const { attempt, calls } = failingThen([new VendorError(true), new VendorError(true), new VendorError(true)]);

    const error = await rejectionOf(attempts.complete(call, attempt));

    expect(error).toMatchObject({ reason: 'THROTTLED', causeName: 'VendorBusy' });
    expect(calls()).toBe(2);
    expect(sleeps).toEqual([50]);
  });

  it('treats a caller abort during an attempt as a TIMEOUT that is not retried nor classified', async () => {
    const { attempts, classify, sleeps } = setup();
    const caller = new AbortController();
    let calls = 0;

    const error = await rejectionOf(
      attempts.complete({ ...call, signal: caller.signal }, (signal) => {
        calls++;
        caller.abort();
        return hangUntilAborted(signal);
      }),
    );

    expect(error).toBeInstanceOf(ModelCallFailed);
    expect(error).toMatchObject({ reason: 'TIMEOUT', causeName: 'AbortError' });
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
    expect(classify).not.toHaveBeenCalled();
  });

  it('makes no attempt when the caller has already aborted', async () => {
    const { attempts } = setup();
    const attempt = vi.fn(async () => 'never');

    const error = await rejectionOf(attempts.complete({ ...call, signal: AbortSignal.abort() }, attempt));

    expect(error).toMatchObject({ reason: 'TIMEOUT', causeName: 'AbortError' });
    expect(attempt).not.toHaveBeenCalled();
  });

  it('stops waiting to retry when the caller aborts during the backoff', async () => {
    const caller = new AbortController();
    const { attempts } = setup({
      sleep: async () => {
        caller.abort();
        throw caller.signal.reason;
      },
    });
    const { attempt, calls } = failingThen([new VendorError(true)]);

    const error = await rejectionOf(attempts.complete({ ...call, signal: caller.signal }, attempt));

    expect(error).toMatchObject({ reason: 'TIMEOUT', causeName: 'AbortError' });
    expect(calls()).toBe(1);
  });

  it('aborts an attempt that outlives timeoutMs and retries it', async () => {
    const { attempts, classify } = setup({ timeoutMs: 1 });
    const signals: AbortSignal[] = [];

    const outcome = await attempts.complete(call, async (signal) => {
      signals.push(signal);
      if (signals.length === 1) return hangUntilAborted(signal);
      return 'second time';
    });

    expect(outcome).toMatchObject({ value: 'second time', attempts: 2 });
    expect(signals[0]?.aborted).toBe(true);
    expect(classify).not.toHaveBeenCalled();
  });

  it('fails with TIMEOUT once every attempt has timed out', async () => {
    const { attempts } = setup({ timeoutMs: 1, maxAttempts: 2 });

    const error = await rejectionOf(attempts.complete(call, hangUntilAborted));

    expect(error).toMatchObject({ reason: 'TIMEOUT', causeName: 'TimeoutError' });
  });

  it('passes an error thrown by onDelta through untouched, without retrying or classifying it', async () => {
    const { attempts, classify } = setup();
    const own = new RangeError('consumer bug');
    let calls = 0;

    const error = await rejectionOf(
      attempts.stream(
        call,
        () => {
          throw own;
        },
        async (_signal, deliver) => {
          calls++;
          deliver('S: chest pain.');
          return 'unreachable';
        },
      ),
    );

    expect(error).toBe(own);
    expect(calls).toBe(1);
    expect(classify).not.toHaveBeenCalled();
  });

  it('delivers text to onDelta and retries a stream that failed before delivering any', async () => {
    const { attempts } = setup();
    const delivered: string[] = [];
    let calls = 0;

    const outcome = await attempts.stream(
      call,
      (text) => delivered.push(text),
      async (_signal, deliver) => {
        if (++calls === 1) throw new VendorError(true);
        deliver('P: ECG.');
        return 'done';
      },
    );

    expect(outcome).toMatchObject({ value: 'done', attempts: 2 });
    expect(delivered).toEqual(['P: ECG.']);
  });

  it('does not retry a stream that failed after delivering text', async () => {
    const { attempts } = setup();
    let calls = 0;

    const error = await rejectionOf(
      attempts.stream(
        call,
        () => undefined,
        async (_signal, deliver) => {
          calls++;
          deliver('S: ');
          throw new VendorError(true);
        },
      ),
    );

    expect(error).toMatchObject({ reason: 'THROTTLED' });
    expect(calls).toBe(1);
  });

  it('honours a server delay as a floor for the wait, still held to maxDelayMs', async () => {
    const { attempts, sleeps } = setup();
    const { attempt } = failingThen([new VendorError(true, 700), new VendorError(true, 5_000), new VendorError(true)]);

    await attempts.complete(call, attempt);

    // Jitter alone would wait 50, 100 and 200.
    expect(sleeps).toEqual([700, 1_000, 200]);
  });

  it('refuses a timeout or attempt count that is not a positive integer', () => {
    expect(() => setup({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => setup({ maxAttempts: 1.5 })).toThrow(RangeError);
  });
});
