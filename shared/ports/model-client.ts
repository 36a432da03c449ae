import { ServiceUnavailable } from '../errors/domain-errors.ts';

/** Port: one call to a language model with a de-identified prompt (Bedrock, an OpenAI-compatible server, offline). */

export interface ModelMessage {
  readonly role: 'user' | 'assistant';
  readonly text: string;
}

export interface ModelRequest {
  /** The model id from the policy registry (e.g. a Bedrock model or inference-profile id). */
  readonly modelId: string;
  readonly system: string;
  readonly messages: readonly ModelMessage[];
  readonly maxOutputTokens: number;
  readonly temperature?: number;
  readonly signal?: AbortSignal;
}

export interface ModelUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface ModelReply {
  readonly text: string;
  readonly usage: ModelUsage;
  readonly latencyMs: number;
  /** e.g. `end_turn`, `max_tokens`, `guardrail_intervened`. */
  readonly stopReason: string;
  /** Which client produced it; the offline client says so in every reply. */
  readonly client: string;
}

export interface ModelClient {
  readonly name: string;
  /** Whether replies come from a real model; false for the offline stand-in. */
  readonly isRealModel: boolean;
  complete(request: ModelRequest): Promise<ModelReply>;
  /** Streams text deltas; resolves with the full reply. Clients without streaming deliver one delta. */
  stream(request: ModelRequest, onDelta: (text: string) => void): Promise<ModelReply>;
}

/**
 * The model call failed after retries; the request fails closed with 503 MODEL_UNAVAILABLE and nothing is
 * released. A ServiceUnavailable, so the one error mapper answers 503 wherever it surfaces (the embedder uses it too).
 */
export class ModelCallFailed extends ServiceUnavailable {
  constructor(
    readonly reason: 'THROTTLED' | 'UNAVAILABLE' | 'REJECTED' | 'TIMEOUT' | 'ABORTED' | 'INVALID_RESPONSE',
    readonly causeName?: string,
  ) {
    super('MODEL_UNAVAILABLE', `The model call failed: ${reason}`, { reason });
    this.name = 'ModelCallFailed';
  }
}
