/** ModelClient on an OpenAI-compatible chat completions server in the practice's network (vLLM, llama.cpp, Ollama). */
import { z } from 'zod';
import { log } from '../../observability/telemetry.ts';
import { ModelCallFailed, type ModelClient, type ModelReply, type ModelRequest } from '../../ports/model-client.ts';
import { defaultSleep, retryWithBackoff, type Sleep, untilAborted } from '../retry-with-backoff.ts';

const CLIENT_NAME = 'openai-compatible';
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_BASE_DELAY_MS = 250;
const DEFAULT_MAX_DELAY_MS = 8_000;
// When a server reports no usage (some do not while streaming), tokens are estimated at four characters each.
const CHARACTERS_PER_TOKEN = 4;

type FailureReason = ModelCallFailed['reason'];
type Mode = 'complete' | 'stream';

export type { Sleep };

export interface OpenAICompatibleModelClientOptions {
  /** The server root, e.g. `http://10.0.4.12:8000`; requests go to `${baseUrl}/v1/chat/completions`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …` (vLLM `--api-key`, llama.cpp `--api-key`). */
  readonly apiKey?: string;
  /** Per attempt, the whole stream included; a timed-out attempt is retried. */
  readonly timeoutMs?: number;
  /** Calls per request, the first included, before a retryable error fails the request. */
  readonly maxAttempts?: number;
  /** Upper bound of the first retry's jittered delay; doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly fetch?: typeof fetch;
  /** Injected for tests: `random` in [0, 1), `now` in monotonic milliseconds. */
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly now?: () => number;
}

const TokenUsage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
});

const ChatCompletion = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: TokenUsage.nullish(),
});

// The usage-only chunk sent before `[DONE]` has no choices; llama.cpp puts usage on the finishing chunk instead.
const ChatCompletionChunk = z.object({
  choices: z.array(
    z.object({
      delta: z.object({ content: z.string().nullish() }).nullish(),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: TokenUsage.nullish(),
});

// vLLM and others report a failure that happens after the 200 as a data line holding an error object.
const StreamError = z.object({ error: z.unknown() });

// OpenAI's finish reasons in the vocabulary of the port (Bedrock's), so callers check one set of values.
const STOP_REASONS: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'content_filtered',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
};

function stopReasonOf(finishReason: string | null | undefined): string {
  if (finishReason === null || finishReason === undefined) return 'unknown';
  return STOP_REASONS[finishReason] ?? finishReason;
}

interface Disposition {
  readonly reason: FailureReason;
  readonly retryable: boolean;
}

function statusDisposition(status: number): Disposition {
  if (status === 429) return { reason: 'THROTTLED', retryable: true };
  if (status === 408) return { reason: 'TIMEOUT', retryable: true };
  if (status >= 500) return { reason: 'UNAVAILABLE', retryable: true };
  return { reason: 'REJECTED', retryable: false };
}

/** A non-2xx answer, carried to the retry loop with only its status and Retry-After. */
class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`HTTP ${status}`);
    this.name = `HTTP_${status}`;
  }
}

/** An error thrown by the caller's own `onDelta`: passed through untouched, never retried or renamed. */
class DeltaHandlerError {
  constructor(readonly error: unknown) {}
}

/** A failed attempt as the port will see it, whether another attempt may succeed, and the server's Retry-After. */
class AttemptFailed {
  constructor(
    readonly failure: ModelCallFailed,
    readonly retryable: boolean,
    readonly serverDelayMs?: number,
  ) {}
}

/** The name of a failed fetch: undici wraps socket errors in `TypeError: fetch failed` with a coded cause. */
function errorName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : error.name;
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

/**
 * The `data` of each Server-Sent Event in `body` (multi-line data joined with newlines). Comments, `event:`, `id:`
 * and `retry:` fields are ignored; lines may end in CRLF, LF or CR, and may be split across network chunks.
 */
async function* serverSentData(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let ended = false;
  try {
    while (!ended) {
      const chunk = await untilAborted(reader.read(), signal);
      ended = chunk.done;
      buffer += ended ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      // A trailing CR may be the first half of a CRLF still in flight, so it waits for the next chunk.
      const lines = buffer.split(/\r\n|\n|\r(?!$)/);
      buffer = ended ? '' : (lines.pop() ?? '');
      for (const rawLine of lines) {
        const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
      }
    }
    // A last event without its blank line is still delivered: `[DONE]` is often the final bytes.
    if (data.length > 0) yield data.join('\n');
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}

function positiveInteger(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${option} must be a positive integer`);
  return value;
}

/** The chat completions URL, refusing anything but http(s) and URLs carrying credentials (they would be logged). */
function completionsUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(`${baseUrl.replace(/\/+$/, '')}/v1/chat/completions`);
  } catch {
    throw new RangeError('baseUrl must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError('baseUrl must be an absolute http(s) URL');
  }
  if (url.username !== '' || url.password !== '') throw new RangeError('baseUrl must not carry credentials');
  return url;
}

interface ReplyParts {
  readonly text: string;
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number } | undefined;
  readonly stopReason: string;
}

export class OpenAICompatibleModelClient implements ModelClient {
  readonly name = CLIENT_NAME;
  readonly isRealModel = true;
  private readonly url: URL;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly fetch: typeof fetch;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(options: OpenAICompatibleModelClientOptions) {
    this.url = completionsUrl(options.baseUrl);
    this.apiKey = options.apiKey;
    this.timeoutMs = positiveInteger(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.maxAttempts = positiveInteger(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 'maxAttempts');
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => performance.now());
  }

  async complete(request: ModelRequest): Promise<ModelReply> {
    const startedAt = this.now();
    const { value, attempts } = await this.withRetries(request, 'complete', async (signal) => {
      const response = await this.post(request, false, signal);
      let body: unknown;
      try {
        body = await untilAborted(response.json() as Promise<unknown>, signal);
      } catch (error) {
        if (signal.aborted) throw error;
        throw new ModelCallFailed('INVALID_RESPONSE', errorName(error));
      }
      const parsed = ChatCompletion.safeParse(body);
      if (!parsed.success) throw new ModelCallFailed('INVALID_RESPONSE', 'ZodError');
      const [choice] = parsed.data.choices;
      const usage = parsed.data.usage;
      return {
        text: choice?.message.content ?? '',
        usage: usage ? { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens } : undefined,
        stopReason: stopReasonOf(choice?.finish_reason),
      };
    });
    return this.reply(request, value, startedAt, attempts, 'complete');
  }

  async stream(request: ModelRequest, onDelta: (text: string) => void): Promise<ModelReply> {
    const startedAt = this.now();
    let delivered = false;
    const { value, attempts } = await this.withRetries(
      request,
      'stream',
      async (signal) => {
        const response = await this.post(request, true, signal);
        if (response.body === null) throw new ModelCallFailed('INVALID_RESPONSE');
        return this.consume(response.body, signal, (text) => {
          delivered = true;
          try {
            onDelta(text);
          } catch (error) {
            throw new DeltaHandlerError(error);
          }
        });
      },
      // Text already handed to the caller cannot be taken back, so a stream that failed part-way is not retried.
      () => !delivered,
    );
    return this.reply(request, value, startedAt, attempts, 'stream');
  }

  private async post(request: ModelRequest, stream: boolean, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
    };
    if (this.apiKey !== undefined) headers.authorization = `Bearer ${this.apiKey}`;
    const body = {
      model: request.modelId,
      messages: [
        { role: 'system', content: request.system },
        ...request.messages.map((message) => ({ role: message.role, content: message.text })),
      ],
      max_tokens: request.maxOutputTokens,
      ...(request.temperature !== undefined && { temperature: request.temperature }),
      stream,
      // Without it, OpenAI-style servers send no usage while streaming.
      ...(stream && { stream_options: { include_usage: true } }),
    };
    const response = await this.fetch(this.url, { method: 'POST', headers, body: JSON.stringify(body), signal });
    if (!response.ok) {
      // The body may quote the prompt, so it is discarded unread.
      void response.body?.cancel().catch(() => undefined);
      throw new HttpStatusError(response.status, retryAfterMs(response.headers.get('retry-after')));
    }
    return response;
  }

  private async consume(
    body: ReadableStream<Uint8Array>,
    signal: AbortSignal,
    deliver: (text: string) => void,
  ): Promise<ReplyParts> {
    let text = '';
    let finishReason: string | undefined;
    let usage: ReplyParts['usage'];
    let done = false;
    for await (const data of serverSentData(body, signal)) {
      if (data.trim() === '[DONE]') {
        done = true;
        break;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(data);
      } catch {
        throw new ModelCallFailed('INVALID_RESPONSE', 'SyntaxError');
      }
      const chunk = ChatCompletionChunk.safeParse(payload);
      if (!chunk.success) {
        if (StreamError.safeParse(payload).success) throw new ModelCallFailed('UNAVAILABLE', 'StreamError');
        throw new ModelCallFailed('INVALID_RESPONSE', 'ZodError');
      }
      const [choice] = chunk.data.choices;
      const delta = choice?.delta?.content;
      if (delta !== undefined && delta !== null && delta !== '') {
        text += delta;
        deliver(delta);
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      if (chunk.data.usage) {
        usage = { inputTokens: chunk.data.usage.prompt_tokens, outputTokens: chunk.data.usage.completion_tokens };
      }
    }
    // Neither `[DONE]` nor a finish reason: the connection was cut, so fail closed rather than release half a reply.
    if (!done && finishReason === undefined) throw new ModelCallFailed('INVALID_RESPONSE', 'TruncatedStream');
    return { text, usage, stopReason: stopReasonOf(finishReason) };
  }

  /** Runs `attempt` with a per-attempt timeout, retrying 429, 5xx, network failures and timeouts with jitter. */
  private async withRetries<T>(
    request: ModelRequest,
    mode: Mode,
    attempt: (signal: AbortSignal) => Promise<T>,
    mayRetry: () => boolean = () => true,
  ): Promise<{ value: T; attempts: number }> {
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
              throw new AttemptFailed(new ModelCallFailed('TIMEOUT', errorName(caller?.reason)), false);
            }
          },
          isRetryable: (error) => error instanceof AttemptFailed && error.retryable && mayRetry(),
          // A server's Retry-After is a floor, held to the same cap.
          minimumDelayMs: (error) => (error as AttemptFailed).serverDelayMs ?? 0,
          onRetry: (error, attempt) => {
            const { failure } = error as AttemptFailed;
            log.warn('openai-compatible model call retried', {
              modelId: request.modelId,
              mode,
              attempt,
              reason: failure.reason,
              errorName: failure.causeName,
            });
          },
        },
      );
      return { value, attempts };
    } catch (error) {
      if (error instanceof AttemptFailed) throw this.failed(request, mode, attempts, error.failure);
      throw error;
    }
  }

  /** One attempt under its own timeout; throws `AttemptFailed`, or what the caller's `onDelta` threw. */
  private async attemptOnce<T>(
    caller: AbortSignal | undefined,
    attempt: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (caller?.aborted) throw new AttemptFailed(new ModelCallFailed('TIMEOUT', 'AbortError'), false);
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
        throw new AttemptFailed(new ModelCallFailed('TIMEOUT', errorName(caller.reason)), false);
      }
      if (controller.signal.aborted) throw new AttemptFailed(new ModelCallFailed('TIMEOUT', 'TimeoutError'), true);
      if (error instanceof ModelCallFailed) throw new AttemptFailed(error, error.reason === 'UNAVAILABLE');
      if (error instanceof HttpStatusError) {
        const disposition = statusDisposition(error.status);
        throw new AttemptFailed(
          new ModelCallFailed(disposition.reason, error.name),
          disposition.retryable,
          error.retryAfterMs,
        );
      }
      // fetch rejects only for network failures (refused, reset, DNS): the server may be restarting.
      throw new AttemptFailed(new ModelCallFailed('UNAVAILABLE', errorName(error)), true);
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    }
  }

  private failed(request: ModelRequest, mode: Mode, attempts: number, failure: ModelCallFailed): ModelCallFailed {
    log.warn('openai-compatible model call failed', {
      modelId: request.modelId,
      mode,
      attempts,
      reason: failure.reason,
      errorName: failure.causeName,
    });
    return failure;
  }

  private reply(request: ModelRequest, parts: ReplyParts, startedAt: number, attempts: number, mode: Mode): ModelReply {
    const latencyMs = Math.max(0, Math.round(this.now() - startedAt));
    const usage = parts.usage ?? {
      inputTokens: Math.ceil(
        (request.system.length + request.messages.reduce((sum, message) => sum + message.text.length, 0)) /
          CHARACTERS_PER_TOKEN,
      ),
      outputTokens: Math.ceil(parts.text.length / CHARACTERS_PER_TOKEN),
    };
    log.info('openai-compatible model call complete', {
      modelId: request.modelId,
      mode,
      attempts,
      latencyMs,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      usageEstimated: parts.usage === undefined,
      stopReason: parts.stopReason,
    });
    return { text: parts.text, usage, latencyMs, stopReason: parts.stopReason, client: CLIENT_NAME };
  }
}
