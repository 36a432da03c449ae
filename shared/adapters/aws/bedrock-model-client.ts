/** ModelClient on Amazon Bedrock Converse and ConverseStream: guardrail-aware, timed out, retried with jitter, fail-closed. */
import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConflictException,
  type ContentBlock,
  ConverseCommand,
  type ConverseResponse,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  type InferenceConfiguration,
  InternalServerException,
  type Message,
  ModelErrorException,
  ModelNotReadyException,
  ModelStreamErrorException,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ServiceUnavailableException,
  ThrottlingException,
  type TokenUsage,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { log, tracer } from '../../observability/telemetry.ts';
import { ModelCallFailed, type ModelClient, type ModelReply, type ModelRequest } from '../../ports/model-client.ts';
import {
  type AttemptFailure,
  errorName,
  ModelCallAttempts,
  type ModelCallMode,
  type ModelCallOutcome,
  type ModelCallRetryOptions,
} from '../model-call-attempts.ts';
import { type Sleep, untilAborted } from '../retry-with-backoff.ts';

const CLIENT_NAME = 'bedrock';

type FailureReason = ModelCallFailed['reason'];

export type { Sleep };

export interface BedrockGuardrail {
  readonly id: string;
  /** A published version number, or `DRAFT`. */
  readonly version: string;
}

export interface BedrockModelClientOptions extends ModelCallRetryOptions {
  /** Applied to every call; a reply it blocks comes back with stop reason `guardrail_intervened`. */
  readonly guardrail?: BedrockGuardrail;
}

interface Disposition {
  readonly reason: FailureReason;
  readonly retryable: boolean;
}

const THROTTLED: Disposition = { reason: 'THROTTLED', retryable: true };
const TRANSIENT: Disposition = { reason: 'UNAVAILABLE', retryable: true };
const TIMED_OUT: Disposition = { reason: 'TIMEOUT', retryable: true };
const REJECTED: Disposition = { reason: 'REJECTED', retryable: false };
const FAILED: Disposition = { reason: 'UNAVAILABLE', retryable: false };

// Errors Bedrock Runtime models for Converse and ConverseStream, by class.
const MODELED_ERRORS: ReadonlyArray<readonly [abstract new (...args: never[]) => Error, Disposition]> = [
  [ThrottlingException, THROTTLED],
  // A quota (e.g. tokens per day), not a rate: retrying within seconds would not help.
  [ServiceQuotaExceededException, { reason: 'THROTTLED', retryable: false }],
  [ServiceUnavailableException, TRANSIENT],
  [InternalServerException, TRANSIENT],
  [ModelNotReadyException, TRANSIENT],
  [ModelStreamErrorException, TRANSIENT],
  [ModelTimeoutException, TIMED_OUT],
  [ModelErrorException, FAILED],
  [ValidationException, REJECTED],
  [AccessDeniedException, REJECTED],
  [ResourceNotFoundException, REJECTED],
  [ConflictException, REJECTED],
];
// Errors any AWS endpoint or the HTTP layer may return, which the SDK surfaces by name or code only.
const THROTTLING_ERROR_NAMES = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException']);
const TRANSIENT_ERROR_NAMES = new Set(['InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException']);
const TIMEOUT_ERROR_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
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

function classify(error: unknown): Disposition {
  for (const [type, disposition] of MODELED_ERRORS) if (error instanceof type) return disposition;
  if (!(error instanceof Error)) return FAILED;
  const shape = error as Error & SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  if (THROTTLING_ERROR_NAMES.has(error.name) || shape.$retryable?.throttling === true || status === 429) {
    return THROTTLED;
  }
  if (TIMEOUT_ERROR_NAMES.has(error.name) || status === 408) return TIMED_OUT;
  if (
    TRANSIENT_ERROR_NAMES.has(error.name) ||
    (typeof shape.code === 'string' && NETWORK_ERROR_CODES.has(shape.code)) ||
    shape.$retryable !== undefined ||
    (status !== undefined && status >= 500)
  ) {
    return TRANSIENT;
  }
  return shape.$fault === 'client' ? REJECTED : FAILED;
}

/** A failed attempt as the port will see it; the adapter's own `ModelCallFailed` (a malformed reply) is final. */
function attemptFailure(error: unknown): AttemptFailure {
  if (error instanceof ModelCallFailed) return { failure: error, retryable: false };
  const disposition = classify(error);
  return { failure: new ModelCallFailed(disposition.reason, errorName(error)), retryable: disposition.retryable };
}

function joinText(content: readonly ContentBlock[] | undefined): string {
  let text = '';
  // Reasoning, citations and tool blocks are not part of the reply a reviewer reads.
  for (const block of content ?? []) if (block.text !== undefined) text += block.text;
  return text;
}

function usageOf(usage: TokenUsage | undefined): { inputTokens: number; outputTokens: number } {
  const inputTokens = usage?.inputTokens;
  const outputTokens = usage?.outputTokens;
  if (!Number.isInteger(inputTokens) || !Number.isInteger(outputTokens)) {
    throw new ModelCallFailed('INVALID_RESPONSE');
  }
  return { inputTokens: inputTokens as number, outputTokens: outputTokens as number };
}

interface ReplyParts {
  readonly text: string;
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
  readonly stopReason: string;
}

function replyParts(response: ConverseResponse): ReplyParts {
  const message = response.output?.message;
  if (message === undefined || response.stopReason === undefined) throw new ModelCallFailed('INVALID_RESPONSE');
  return { text: joinText(message.content), usage: usageOf(response.usage), stopReason: response.stopReason };
}

/** An event the service sends in place of a delta when the stream fails part-way; the SDK usually throws it. */
function streamException(event: ConverseStreamOutput): Error | undefined {
  return (
    event.internalServerException ??
    event.modelStreamErrorException ??
    event.validationException ??
    event.throttlingException ??
    event.serviceUnavailableException
  );
}

export class BedrockModelClient implements ModelClient {
  readonly name = CLIENT_NAME;
  readonly isRealModel = true;
  private readonly guardrail: BedrockGuardrail | undefined;
  private readonly attempts: ModelCallAttempts;

  constructor(
    private readonly client: BedrockRuntimeClient,
    options: BedrockModelClientOptions = {},
  ) {
    this.guardrail = options.guardrail;
    // Retries throttling, transient failures and timeouts with jitter, each attempt under its own timeout.
    this.attempts = new ModelCallAttempts({ ...options, label: CLIENT_NAME, classify: attemptFailure });
  }

  /** A client on a traced Bedrock Runtime client whose own retries are off, so this class's backoff is the only one. */
  static create(region: string, options?: BedrockModelClientOptions): BedrockModelClient {
    const client = tracer.captureAWSv3Client(new BedrockRuntimeClient({ region, maxAttempts: 1 }));
    return new BedrockModelClient(client, options);
  }

  async complete(request: ModelRequest): Promise<ModelReply> {
    const outcome = await this.attempts.complete(request, async (signal) => {
      const command = new ConverseCommand({
        ...this.conversation(request),
        ...(this.guardrail && {
          guardrailConfig: { guardrailIdentifier: this.guardrail.id, guardrailVersion: this.guardrail.version },
        }),
      });
      const response = await untilAborted(this.client.send(command, { abortSignal: signal }), signal);
      return replyParts(response);
    });
    return this.reply(request, 'complete', outcome);
  }

  async stream(request: ModelRequest, onDelta: (text: string) => void): Promise<ModelReply> {
    const outcome = await this.attempts.stream(request, onDelta, async (signal, deliver) => {
      const command = new ConverseStreamCommand({
        ...this.conversation(request),
        ...(this.guardrail && {
          guardrailConfig: {
            guardrailIdentifier: this.guardrail.id,
            guardrailVersion: this.guardrail.version,
            // Sync: the guardrail assesses each chunk before it is sent, so no blocked text reaches onDelta.
            streamProcessingMode: 'sync',
          },
        }),
      });
      const response = await untilAborted(this.client.send(command, { abortSignal: signal }), signal);
      if (response.stream === undefined) throw new ModelCallFailed('INVALID_RESPONSE');
      return this.consume(response.stream, signal, deliver);
    });
    return this.reply(request, 'stream', outcome);
  }

  private conversation(request: ModelRequest): {
    modelId: string;
    system: { text: string }[];
    messages: Message[];
    inferenceConfig: InferenceConfiguration;
  } {
    return {
      modelId: request.modelId,
      system: [{ text: request.system }],
      messages: request.messages.map((message) => ({ role: message.role, content: [{ text: message.text }] })),
      inferenceConfig: {
        maxTokens: request.maxOutputTokens,
        ...(request.temperature !== undefined && { temperature: request.temperature }),
      },
    };
  }

  private async consume(
    stream: AsyncIterable<ConverseStreamOutput>,
    signal: AbortSignal,
    deliver: (text: string) => void,
  ): Promise<ReplyParts> {
    const iterator = stream[Symbol.asyncIterator]();
    let finished = false;
    let text = '';
    let stopReason: string | undefined;
    let usage: TokenUsage | undefined;
    try {
      for (;;) {
        const next = await untilAborted(iterator.next(), signal);
        if (next.done) break;
        const event = next.value;
        const exception = streamException(event);
        if (exception !== undefined) throw exception;
        const delta = event.contentBlockDelta?.delta?.text;
        if (delta !== undefined && delta !== '') {
          text += delta;
          deliver(delta);
        }
        if (event.messageStop !== undefined) stopReason = event.messageStop.stopReason;
        if (event.metadata !== undefined) usage = event.metadata.usage;
      }
      finished = true;
    } finally {
      // Releases the connection of a stream left part-way; not awaited, as a pending read may hold it.
      if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
    // A stream that ends without its stop and metadata events was cut short: fail closed rather than release half.
    if (stopReason === undefined) throw new ModelCallFailed('INVALID_RESPONSE');
    return { text, usage: usageOf(usage), stopReason };
  }

  private reply(request: ModelRequest, mode: ModelCallMode, outcome: ModelCallOutcome<ReplyParts>): ModelReply {
    const { value: parts, attempts, latencyMs } = outcome;
    log.info('bedrock model call complete', {
      modelId: request.modelId,
      mode,
      attempts,
      latencyMs,
      inputTokens: parts.usage.inputTokens,
      outputTokens: parts.usage.outputTokens,
      stopReason: parts.stopReason,
      guardrail: this.guardrail !== undefined,
    });
    return { ...parts, latencyMs, client: CLIENT_NAME };
  }
}
