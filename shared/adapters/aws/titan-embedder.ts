/** Embedder on Amazon Titan Text Embeddings V2 (Bedrock InvokeModel): one text per call, a few calls at a time. */
import {
  AccessDeniedException,
  BedrockRuntimeClient,
  InvokeModelCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import { tracer } from '../../observability/telemetry.ts';
import type { Embedder } from '../../ports/knowledge-store.ts';
import { ModelCallFailed } from '../../ports/model-client.ts';
import { untilAborted } from '../retry-with-backoff.ts';

export const TITAN_EMBED_TEXT_V2 = 'amazon.titan-embed-text-v2:0';
/** The model's documented input limit (it also stops at 8,192 tokens; a chunk is far below both). */
export const TITAN_MAX_INPUT_CHARACTERS = 50_000;

export interface TitanEmbedderOptions {
  readonly modelId?: string;
  /** Titan V2 offers 256, 512 or 1024; 512 keeps nearly all the retrieval quality at half the memory. */
  readonly dimensions?: 256 | 512 | 1024;
  /** Calls in flight at once: embedding models are throttled per request, so this bounds the request rate. */
  readonly concurrency?: number;
  /** Per call, SDK retries included. */
  readonly timeoutMs?: number;
}

// Only the field we use; the reply also carries inputTextTokenCount and embeddingsByType.
const TitanReply = z.object({ embedding: z.array(z.number().finite()) });

const DEFAULT_DIMENSIONS = 512;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 15_000;

function failure(error: unknown, signal: AbortSignal): ModelCallFailed {
  if (error instanceof ModelCallFailed) return error;
  const name = error instanceof Error ? error.name : typeof error;
  if (signal.aborted) return new ModelCallFailed('TIMEOUT', name);
  if (error instanceof ThrottlingException || error instanceof ServiceQuotaExceededException) {
    return new ModelCallFailed('THROTTLED', name);
  }
  if (
    error instanceof ValidationException ||
    error instanceof AccessDeniedException ||
    error instanceof ResourceNotFoundException
  ) {
    return new ModelCallFailed('REJECTED', name);
  }
  return new ModelCallFailed('UNAVAILABLE', name);
}

const timedOut = (): DOMException => new DOMException('embedding call timed out', 'TimeoutError');

export class TitanEmbedder implements Embedder {
  readonly name = 'titan-embed-text-v2';
  readonly dimensions: number;
  readonly model: string;
  private readonly modelId: string;
  private readonly concurrency: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: BedrockRuntimeClient,
    options: TitanEmbedderOptions = {},
  ) {
    this.modelId = options.modelId ?? TITAN_EMBED_TEXT_V2;
    this.dimensions = options.dimensions ?? DEFAULT_DIMENSIONS;
    this.model = `${this.modelId}/${this.dimensions}`;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new RangeError('concurrency must be a positive integer');
    }
  }

  /** A traced client whose SDK retries adapt to throttling (the embedder has no backoff of its own). */
  static create(region: string, options?: TitanEmbedderOptions): TitanEmbedder {
    const client = tracer.captureAWSv3Client(
      new BedrockRuntimeClient({ region, maxAttempts: 4, retryMode: 'adaptive' }),
    );
    return new TitanEmbedder(client, options);
  }

  /** Vectors in input order; the first failure rejects the whole batch and stops further calls. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = new Array(texts.length);
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      while (!failed && next < texts.length) {
        const index = next++;
        try {
          vectors[index] = await this.embedOne(texts[index] ?? '');
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, texts.length) }, worker));
    return vectors;
  }

  private async embedOne(text: string): Promise<Float32Array> {
    // Titan rejects an empty input; failing here saves a call and says why.
    if (text.trim() === '') throw new ModelCallFailed('REJECTED', 'EmptyInput');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await untilAborted(
        this.client.send(
          new InvokeModelCommand({
            modelId: this.modelId,
            contentType: 'application/json',
            accept: 'application/json',
            body: JSON.stringify({
              inputText: text.slice(0, TITAN_MAX_INPUT_CHARACTERS),
              dimensions: this.dimensions,
              normalize: true,
            }),
          }),
          { abortSignal: controller.signal },
        ),
        controller.signal,
        timedOut,
      );
      let reply: unknown;
      try {
        reply = JSON.parse(new TextDecoder().decode(response.body));
      } catch {
        throw new ModelCallFailed('INVALID_RESPONSE', 'SyntaxError');
      }
      const parsed = TitanReply.safeParse(reply);
      if (!parsed.success || parsed.data.embedding.length !== this.dimensions) {
        throw new ModelCallFailed('INVALID_RESPONSE', 'ZodError');
      }
      return Float32Array.from(parsed.data.embedding);
    } catch (error) {
      throw failure(error, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }
}
