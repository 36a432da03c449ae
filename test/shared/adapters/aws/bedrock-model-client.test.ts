import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandOutput,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  InternalServerException,
  ModelNotReadyException,
  ModelStreamErrorException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BedrockModelClient,
  type BedrockModelClientOptions,
} from '../../../../shared/adapters/aws/bedrock-model-client.ts';
import { logger } from '../../../../shared/observability/telemetry.ts';
import { ModelCallFailed, type ModelRequest } from '../../../../shared/ports/model-client.ts';

const bedrock = mockClient(BedrockRuntimeClient);

const PROMPT = 'Pt [NAME_7Q2K9D] reports chest pain since [DATE_0M4C1T]; secret-prompt-marker.';
const MODEL_ID = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  modelId: MODEL_ID,
  system: 'You draft SOAP notes.',
  messages: [{ role: 'user', text: PROMPT }],
  maxOutputTokens: 800,
  temperature: 0.2,
  ...overrides,
});

const converseReply = (text: string): ConverseCommandOutput => ({
  $metadata: {},
  output: { message: { role: 'assistant', content: [{ text }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 120, outputTokens: 45, totalTokens: 165 },
  metrics: { latencyMs: 900 },
});

const sdkError = <T extends Error>(
  type: new (options: { message: string; $metadata: object }) => T,
  message = `failed on: ${PROMPT}`,
): T => new type({ message, $metadata: {} });

async function* events(...items: ConverseStreamOutput[]): AsyncGenerator<ConverseStreamOutput> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

const streamed = (...items: ConverseStreamOutput[]) => ({ $metadata: {}, stream: events(...items) });

const delta = (text: string): ConverseStreamOutput => ({
  contentBlockDelta: { contentBlockIndex: 0, delta: { text } },
});
const STREAM_END: ConverseStreamOutput[] = [
  { contentBlockStop: { contentBlockIndex: 0 } },
  { messageStop: { stopReason: 'max_tokens' } },
  { metadata: { usage: { inputTokens: 70, outputTokens: 12, totalTokens: 82 }, metrics: { latencyMs: 400 } } },
];

/** The abort signal given to `send`: the spy records send's options too, though its type lists only the command. */
const abortSignalOf = (call: { args: unknown } | undefined) =>
  ((call?.args as unknown[] | undefined)?.[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('BedrockModelClient', () => {
  let sleeps: number[];
  let clock: number;
  const clientWith = (options: BedrockModelClientOptions = {}) =>
    new BedrockModelClient(new BedrockRuntimeClient({ region: 'us-east-1' }), {
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      random: () => 0.5,
      now: () => clock,
      baseDelayMs: 100,
      ...options,
    });

  beforeEach(() => {
    bedrock.reset();
    sleeps = [];
    clock = 1_000;
  });
  afterEach(() => vi.restoreAllMocks());

  it('is named bedrock and is a real model', () => {
    const client = clientWith();
    expect(client.name).toBe('bedrock');
    expect(client.isRealModel).toBe(true);
  });

  describe('complete', () => {
    it('maps a Converse reply to text, usage, stop reason and latency', async () => {
      bedrock.on(ConverseCommand).callsFake(async () => {
        clock += 850;
        return {
          ...converseReply(''),
          output: {
            message: { role: 'assistant', content: [{ text: 'S: chest pain. ' }, { text: 'P: ECG [NAME_7Q2K9D].' }] },
          },
          stopReason: 'max_tokens',
        };
      });

      const reply = await clientWith().complete(request());

      expect(reply).toEqual({
        text: 'S: chest pain. P: ECG [NAME_7Q2K9D].',
        usage: { inputTokens: 120, outputTokens: 45 },
        stopReason: 'max_tokens',
        latencyMs: 850,
        client: 'bedrock',
      });
    });

    it('sends the model id, system prompt, messages, inference settings and guardrail', async () => {
      bedrock.on(ConverseCommand).resolves(converseReply('ok'));
      const conversation = request({
        messages: [
          { role: 'user', text: 'first' },
          { role: 'assistant', text: 'noted' },
          { role: 'user', text: PROMPT },
        ],
      });

      await clientWith({ guardrail: { id: 'gr-123', version: '3' } }).complete(conversation);

      expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 1);
      expect(bedrock).toHaveReceivedCommandWith(ConverseCommand, {
        modelId: MODEL_ID,
        system: [{ text: 'You draft SOAP notes.' }],
        messages: [
          { role: 'user', content: [{ text: 'first' }] },
          { role: 'assistant', content: [{ text: 'noted' }] },
          { role: 'user', content: [{ text: PROMPT }] },
        ],
        inferenceConfig: { maxTokens: 800, temperature: 0.2 },
        guardrailConfig: { guardrailIdentifier: 'gr-123', guardrailVersion: '3' },
      });
    });

    it('sends no guardrail configuration and no temperature when none is set', async () => {
      bedrock.on(ConverseCommand).resolves(converseReply('ok'));

      await clientWith().complete(request({ temperature: undefined }));

      const input = bedrock.commandCalls(ConverseCommand)[0]?.args[0].input;
      expect(input).toBeDefined();
      expect(input).not.toHaveProperty('guardrailConfig');
      expect(input?.inferenceConfig).toEqual({ maxTokens: 800 });
    });

    it('passes an abort signal to the SDK call', async () => {
      bedrock.on(ConverseCommand).resolves(converseReply('ok'));

      await clientWith().complete(request());

      expect(abortSignalOf(bedrock.commandCalls(ConverseCommand)[0])).toBeInstanceOf(AbortSignal);
    });

    it('retries throttling twice then succeeds, with jittered exponential delays: 3 calls', async () => {
      bedrock
        .on(ConverseCommand)
        .rejectsOnce(sdkError(ThrottlingException))
        .rejectsOnce(sdkError(ThrottlingException))
        .resolves(converseReply('done'));

      const reply = await clientWith().complete(request());

      expect(reply.text).toBe('done');
      expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 3);
      // random() = 0.5 of a ceiling of 100 ms, then 200 ms.
      expect(sleeps).toEqual([50, 100]);
    });

    it.each([
      ['ServiceUnavailableException', () => sdkError(ServiceUnavailableException)],
      ['ModelNotReadyException', () => sdkError(ModelNotReadyException)],
      ['InternalServerException', () => sdkError(InternalServerException)],
      [
        'an unmodelled 502',
        () => Object.assign(new Error('bad gateway'), { name: 'BadGateway', $metadata: { httpStatusCode: 502 } }),
      ],
    ])('retries %s', async (_label, error) => {
      bedrock.on(ConverseCommand).rejectsOnce(error()).resolves(converseReply('done'));

      await expect(clientWith().complete(request())).resolves.toMatchObject({ text: 'done' });
      expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 2);
    });

    it('rejects a ValidationException at once with ModelCallFailed(REJECTED)', async () => {
      bedrock.on(ConverseCommand).rejects(sdkError(ValidationException));

      const error = await failureOf(clientWith().complete(request()));

      expect(error).toBeInstanceOf(ModelCallFailed);
      expect(error).toMatchObject({ reason: 'REJECTED', causeName: 'ValidationException' });
      expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 1);
      expect(sleeps).toEqual([]);
    });

    it.each([
      ['AccessDeniedException', () => sdkError(AccessDeniedException)],
      ['ResourceNotFoundException', () => sdkError(ResourceNotFoundException)],
    ])('never retries %s', async (name, error) => {
      bedrock.on(ConverseCommand).rejects(error());

      await expect(clientWith().complete(request())).rejects.toMatchObject({ reason: 'REJECTED', causeName: name });
      expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 1);
    });

    it('fails with ModelCallFailed(THROTTLED) once the attempts are exhausted', async () => {
      bedrock.on(ConverseCommand).rejects(sdkError(ThrottlingException));

      const error = await failureOf(clientWith().complete(request()));

      expect(error).toBeInstanceOf(ModelCallFailed);
      expect(error).toMatchObject({ reason: 'THROTTLED', causeName: 'ThrottlingException' });
      expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 4);
      expect(sleeps).toEqual([50, 100, 200]);
    });

    it('keeps the prompt out of the error and the log, even when the SDK message quotes it', async () => {
      const warn = vi.spyOn(logger, 'warn');
      bedrock.on(ConverseCommand).rejects(sdkError(ValidationException));

      const error = await failureOf(clientWith().complete(request()));

      expect(error).toBeInstanceOf(ModelCallFailed);
      const described = [String(error), (error as Error).message, (error as Error).stack, JSON.stringify(error)];
      for (const text of described) expect(text).not.toContain('secret-prompt-marker');
      expect(warn).toHaveBeenCalled();
      expect(JSON.stringify(warn.mock.calls)).not.toContain('secret-prompt-marker');
      expect(JSON.stringify(warn.mock.calls)).toContain('ValidationException');
    });

    it('times out a hung attempt through its abort signal and retries it', async () => {
      bedrock
        .on(ConverseCommand)
        .callsFakeOnce(() => new Promise(() => {}))
        .resolves(converseReply('second time'));

      const reply = await clientWith({ timeoutMs: 20 }).complete(request());

      expect(reply.text).toBe('second time');
      expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 2);
      expect(abortSignalOf(bedrock.commandCalls(ConverseCommand)[0])?.aborted).toBe(true);
      expect(abortSignalOf(bedrock.commandCalls(ConverseCommand)[1])?.aborted).toBe(false);
    });

    it('fails with TIMEOUT when every attempt times out', async () => {
      bedrock.on(ConverseCommand).callsFake(() => new Promise(() => {}));

      await expect(clientWith({ timeoutMs: 10, maxAttempts: 2 }).complete(request())).rejects.toMatchObject({
        reason: 'TIMEOUT',
        causeName: 'TimeoutError',
      });
      expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 2);
    });

    it("stops without retrying when the caller's signal aborts", async () => {
      bedrock.on(ConverseCommand).callsFake(() => new Promise(() => {}));
      const caller = new AbortController();
      const pending = clientWith().complete(request({ signal: caller.signal }));

      caller.abort();

      await expect(pending).rejects.toMatchObject({ reason: 'TIMEOUT', causeName: 'AbortError' });
      expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 1);
    });

    it('fails with INVALID_RESPONSE when the reply has no message or no usage', async () => {
      bedrock
        .on(ConverseCommand)
        .resolvesOnce({ ...converseReply('x'), output: undefined })
        .resolvesOnce({ ...converseReply('x'), usage: undefined });

      await expect(clientWith().complete(request())).rejects.toMatchObject({ reason: 'INVALID_RESPONSE' });
      await expect(clientWith().complete(request())).rejects.toMatchObject({ reason: 'INVALID_RESPONSE' });
      expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 2);
    });

    it('works through the traced client built by create', async () => {
      bedrock.on(ConverseCommand).resolves(converseReply('from create'));

      const reply = await BedrockModelClient.create('us-east-1').complete(request());

      expect(reply).toMatchObject({ text: 'from create', client: 'bedrock' });
      expect(bedrock).toHaveReceivedCommandWith(ConverseCommand, { modelId: MODEL_ID });
    });
  });

  describe('stream', () => {
    it('delivers the deltas in order and resolves with the text, stop reason and final usage', async () => {
      bedrock
        .on(ConverseStreamCommand)
        .callsFake(async () =>
          streamed(
            { messageStart: { role: 'assistant' } },
            delta('S: '),
            delta('chest pain'),
            delta(' [NAME_7Q2K9D].'),
            ...STREAM_END,
          ),
        );
      const deltas: string[] = [];

      const reply = await clientWith({ guardrail: { id: 'gr-123', version: 'DRAFT' } }).stream(request(), (text) =>
        deltas.push(text),
      );

      expect(deltas).toEqual(['S: ', 'chest pain', ' [NAME_7Q2K9D].']);
      expect(reply).toMatchObject({
        text: 'S: chest pain [NAME_7Q2K9D].',
        usage: { inputTokens: 70, outputTokens: 12 },
        stopReason: 'max_tokens',
        client: 'bedrock',
      });
      expect(bedrock).toHaveReceivedCommandWith(ConverseStreamCommand, {
        modelId: MODEL_ID,
        system: [{ text: 'You draft SOAP notes.' }],
        messages: [{ role: 'user', content: [{ text: PROMPT }] }],
        inferenceConfig: { maxTokens: 800, temperature: 0.2 },
        guardrailConfig: { guardrailIdentifier: 'gr-123', guardrailVersion: 'DRAFT', streamProcessingMode: 'sync' },
      });
    });

    it('retries a stream that is throttled before any text arrives', async () => {
      bedrock
        .on(ConverseStreamCommand)
        .rejectsOnce(sdkError(ThrottlingException))
        .callsFake(async () => streamed(delta('ok'), ...STREAM_END));
      const deltas: string[] = [];

      const reply = await clientWith().stream(request(), (text) => deltas.push(text));

      expect(reply.text).toBe('ok');
      expect(deltas).toEqual(['ok']);
      expect(bedrock).toHaveReceivedCommandTimes(ConverseStreamCommand, 2);
    });

    it('does not retry a stream that fails after text was delivered', async () => {
      async function* failing(): AsyncGenerator<ConverseStreamOutput> {
        yield delta('partial');
        throw sdkError(ModelStreamErrorException);
      }
      bedrock.on(ConverseStreamCommand).callsFake(async () => ({ $metadata: {}, stream: failing() }));
      const deltas: string[] = [];

      const error = await failureOf(clientWith().stream(request(), (text) => deltas.push(text)));

      expect(error).toMatchObject({ reason: 'UNAVAILABLE', causeName: 'ModelStreamErrorException' });
      expect(deltas).toEqual(['partial']);
      expect(bedrock).toHaveReceivedCommandTimes(ConverseStreamCommand, 1);
    });

    it('treats an exception event in the stream as a failure', async () => {
      bedrock
        .on(ConverseStreamCommand)
        .callsFake(async () => streamed(delta('a'), { throttlingException: sdkError(ThrottlingException) }));

      await expect(clientWith().stream(request(), () => {})).rejects.toMatchObject({
        reason: 'THROTTLED',
        causeName: 'ThrottlingException',
      });
    });

    it('fails with INVALID_RESPONSE when the stream ends without its stop event', async () => {
      bedrock.on(ConverseStreamCommand).callsFake(async () => streamed(delta('cut sh')));

      await expect(clientWith().stream(request(), () => {})).rejects.toMatchObject({ reason: 'INVALID_RESPONSE' });
    });

    it("passes an error thrown by the caller's delta handler through unchanged", async () => {
      bedrock.on(ConverseStreamCommand).callsFake(async () => streamed(delta('a'), ...STREAM_END));
      const own = new RangeError('consumer bug');

      await expect(
        clientWith().stream(request(), () => {
          throw own;
        }),
      ).rejects.toBe(own);
      expect(bedrock).toHaveReceivedCommandTimes(ConverseStreamCommand, 1);
    });
  });
});
