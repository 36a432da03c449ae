import {
  AccessDeniedException,
  BedrockRuntimeClient,
  InvokeModelCommand,
  type InvokeModelCommandInput,
  type InvokeModelCommandOutput,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  TITAN_EMBED_TEXT_V2,
  TITAN_MAX_INPUT_CHARACTERS,
  TitanEmbedder,
} from '../../../../shared/adapters/aws/titan-embedder.ts';
import { ModelCallFailed } from '../../../../shared/ports/model-client.ts';

const bedrock = mockClient(BedrockRuntimeClient);

/** The reply body as the SDK hands it over: bytes (the SDK's blob adapter is a Uint8Array with helpers we do not use). */
const reply = (body: unknown): InvokeModelCommandOutput =>
  ({
    $metadata: {},
    contentType: 'application/json',
    body: new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)),
  }) as unknown as InvokeModelCommandOutput;

/** A deterministic embedding of the requested size whose first component identifies the input. */
const embeddingFor = (inputText: string, dimensions: number) =>
  Array.from({ length: dimensions }, (_, index) => (index === 0 ? inputText.length : 0.5));

const requestOf = (input: InvokeModelCommandInput) =>
  JSON.parse(typeof input.body === 'string' ? input.body : new TextDecoder().decode(input.body as Uint8Array)) as {
    inputText: string;
    dimensions: number;
    normalize: boolean;
  };

const sdkError = <T extends Error>(type: new (options: { message: string; $metadata: object }) => T): T =>
  new type({ message: 'failed', $metadata: {} });

describe('TitanEmbedder', () => {
  beforeEach(() => {
    bedrock.reset();
    bedrock.on(InvokeModelCommand).callsFake(async (input: InvokeModelCommandInput) => {
      const request = requestOf(input);
      return reply({ embedding: embeddingFor(request.inputText, request.dimensions), inputTextTokenCount: 3 });
    });
  });

  it('calls Titan Text Embeddings V2 once per text with 512 normalised dimensions and returns Float32Arrays in order', async () => {
    const embedder = new TitanEmbedder(new BedrockRuntimeClient({ region: 'us-east-1' }));
    const vectors = await embedder.embed(['a', 'bb', 'ccc']);

    expect(embedder).toMatchObject({ name: 'titan-embed-text-v2', dimensions: 512 });
    expect(vectors.map((vector) => [vector.constructor, vector.length, vector[0]])).toEqual([
      [Float32Array, 512, 1],
      [Float32Array, 512, 2],
      [Float32Array, 512, 3],
    ]);
    expect(bedrock).toHaveReceivedCommandTimes(InvokeModelCommand, 3);
    expect(bedrock).toHaveReceivedCommandWith(InvokeModelCommand, {
      modelId: TITAN_EMBED_TEXT_V2,
      contentType: 'application/json',
      accept: 'application/json',
      body: JSON.stringify({ inputText: 'bb', dimensions: 512, normalize: true }),
    });
  });

  it('honours the configured model and dimensions and cuts inputs at the model’s character limit', async () => {
    const embedder = new TitanEmbedder(new BedrockRuntimeClient({ region: 'us-east-1' }), {
      modelId: 'custom-model',
      dimensions: 256,
    });
    const [vector] = await embedder.embed(['x'.repeat(TITAN_MAX_INPUT_CHARACTERS + 10)]);
    expect(vector?.length).toBe(256);
    const input = bedrock.commandCalls(InvokeModelCommand)[0]?.args[0].input;
    expect(input?.modelId).toBe('custom-model');
    expect(input && requestOf(input).inputText.length).toBe(TITAN_MAX_INPUT_CHARACTERS);
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    bedrock.on(InvokeModelCommand).callsFake(async (input: InvokeModelCommandInput) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return reply({ embedding: embeddingFor(requestOf(input).inputText, 512) });
    });
    const embedder = new TitanEmbedder(new BedrockRuntimeClient({ region: 'us-east-1' }), { concurrency: 3 });
    const texts = Array.from({ length: 10 }, (_, index) => 'y'.repeat(index + 1));
    const vectors = await embedder.embed(texts);
    expect(peak).toBe(3);
    expect(vectors.map((vector) => vector[0])).toEqual(texts.map((text) => text.length));
  });

  it('returns nothing for no texts, and rejects an empty text without calling Bedrock', async () => {
    const embedder = new TitanEmbedder(new BedrockRuntimeClient({ region: 'us-east-1' }));
    expect(await embedder.embed([])).toEqual([]);
    await expect(embedder.embed(['  '])).rejects.toMatchObject({ reason: 'REJECTED' });
    expect(bedrock).toHaveReceivedCommandTimes(InvokeModelCommand, 0);
  });

  it.each([
    ['a reply that is not JSON', 'not json'],
    ['a reply without an embedding', { inputTextTokenCount: 3 }],
    ['an embedding of the wrong size', { embedding: [0.1, 0.2] }],
    ['an embedding with a non-number', { embedding: [...Array(511).fill(0.1), 'x'] }],
  ])('fails with INVALID_RESPONSE on %s', async (_, body) => {
    bedrock.on(InvokeModelCommand).resolves(reply(body));
    const embedder = new TitanEmbedder(new BedrockRuntimeClient({ region: 'us-east-1' }));
    await expect(embedder.embed(['text'])).rejects.toMatchObject({
      name: 'ModelCallFailed',
      reason: 'INVALID_RESPONSE',
    });
  });

  it('maps throttling and access errors to the model port’s reasons, and stops issuing calls after a failure', async () => {
    bedrock.on(InvokeModelCommand).rejects(sdkError(ThrottlingException));
    const embedder = new TitanEmbedder(new BedrockRuntimeClient({ region: 'us-east-1' }), { concurrency: 1 });
    const error = await embedder.embed(['a', 'b', 'c']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelCallFailed);
    expect(error).toMatchObject({ reason: 'THROTTLED', causeName: 'ThrottlingException' });
    expect(bedrock).toHaveReceivedCommandTimes(InvokeModelCommand, 1);

    bedrock.on(InvokeModelCommand).rejects(sdkError(AccessDeniedException));
    await expect(embedder.embed(['a'])).rejects.toMatchObject({ reason: 'REJECTED' });
  });

  it('times out a call that does not answer', async () => {
    bedrock.on(InvokeModelCommand).callsFake(() => new Promise(() => undefined));
    const embedder = new TitanEmbedder(new BedrockRuntimeClient({ region: 'us-east-1' }), { timeoutMs: 20 });
    await expect(embedder.embed(['a'])).rejects.toMatchObject({ reason: 'TIMEOUT' });
  });

  it('refuses a concurrency below 1', () => {
    expect(() => new TitanEmbedder(new BedrockRuntimeClient({ region: 'us-east-1' }), { concurrency: 0 })).toThrow(
      RangeError,
    );
  });
});
