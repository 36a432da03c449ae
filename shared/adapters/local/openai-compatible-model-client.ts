/** ModelClient on an OpenAI-compatible chat completions server in the practice's network (vLLM, llama.cpp, Ollama). */
import { z } from 'zod';
import { log } from '../../observability/telemetry.ts';
import { ModelCallFailed, type ModelClient, type ModelReply, type ModelRequest } from '../../ports/model-client.ts';
import {
  type AttemptFailure,
  ModelCallAttempts,
  type ModelCallMode,
  type ModelCallOutcome,
  type ModelCallRetryOptions,
} from '../model-call-attempts.ts';
import { type Sleep, untilAborted } from '../retry-with-backoff.ts';

const CLIENT_NAME = 'openai-compatible';
// When a server reports no usage (some do not while streaming), tokens are estimated at four characters each.
const CHARACTERS_PER_TOKEN = 4;

type FailureReason = ModelCallFailed['reason'];

export type { Sleep };

export interface OpenAICompatibleModelClientOptions extends ModelCallRetryOptions {
  /** The server root, e.g. `http://10.0.4.12:8000`; requests go to `${baseUrl}/v1/chat/completions`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …` (vLLM `--api-key`, llama.cpp `--api-key`). */
  readonly apiKey?: string;
  readonly fetch?: typeof fetch;
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

/** The name of a failed fetch: undici wraps socket errors in `TypeError: fetch failed` with a coded cause. */
function errorName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : error.name;
}

/**
 * A failed attempt as the port will see it: 429, 5xx and network failures are retried (a server's Retry-After is a
 * floor for the wait), and so is a stream the server failed part-way.
 */
function attemptFailure(error: unknown): AttemptFailure {
  if (error instanceof ModelCallFailed) return { failure: error, retryable: error.reason === 'UNAVAILABLE' };
  if (error instanceof HttpStatusError) {
    const disposition = statusDisposition(error.status);
    return {
      failure: new ModelCallFailed(disposition.reason, error.name),
      retryable: disposition.retryable,
      serverDelayMs: error.retryAfterMs,
    };
  }
  // fetch rejects only for network failures (refused, reset, DNS): the server may be restarting.
  return { failure: new ModelCallFailed('UNAVAILABLE', errorName(error)), retryable: true };
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
  private readonly attempts: ModelCallAttempts;
  private readonly fetch: typeof fetch;

  constructor(options: OpenAICompatibleModelClientOptions) {
    this.url = completionsUrl(options.baseUrl);
    this.apiKey = options.apiKey;
    this.attempts = new ModelCallAttempts({ ...options, label: CLIENT_NAME, classify: attemptFailure });
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async complete(request: ModelRequest): Promise<ModelReply> {
    const outcome = await this.attempts.complete(request, async (signal) => {
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
    return this.reply(request, 'complete', outcome);
  }

  async stream(request: ModelRequest, onDelta: (text: string) => void): Promise<ModelReply> {
    const outcome = await this.attempts.stream(request, onDelta, async (signal, deliver) => {
      const response = await this.post(request, true, signal);
      if (response.body === null) throw new ModelCallFailed('INVALID_RESPONSE');
      return this.consume(response.body, signal, deliver);
    });
    return this.reply(request, 'stream', outcome);
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

  private reply(request: ModelRequest, mode: ModelCallMode, outcome: ModelCallOutcome<ReplyParts>): ModelReply {
    const { value: parts, attempts, latencyMs } = outcome;
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
