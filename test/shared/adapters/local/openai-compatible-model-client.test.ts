import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  OpenAICompatibleModelClient,
  type OpenAICompatibleModelClientOptions,
} from '../../../../shared/adapters/local/openai-compatible-model-client.ts';
import { ModelCallFailed, type ModelRequest } from '../../../../shared/ports/model-client.ts';

const PROMPT = 'Pt [NAME_7Q2K9D] reports chest pain since [DATE_0M4C1T]; secret-prompt-marker.';

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  modelId: 'meta-llama/Llama-3.1-8B-Instruct',
  system: 'You draft SOAP notes.',
  messages: [{ role: 'user', text: PROMPT }],
  maxOutputTokens: 600,
  temperature: 0.1,
  ...overrides,
});

interface ReceivedRequest {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

type Responder = (response: ServerResponse, received: ReceivedRequest) => void | Promise<void>;

/** A stand-in for vLLM / llama.cpp / Ollama on 127.0.0.1: answers each request with the next responder. */
class FakeChatServer {
  readonly received: ReceivedRequest[] = [];
  private readonly responders: Responder[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer(async (incoming, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const received = {
        method: incoming.method,
        url: incoming.url,
        headers: incoming.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      this.received.push(received);
      const responder = this.responders.length > 1 ? this.responders.shift() : this.responders[0];
      if (responder === undefined) {
        response.writeHead(500).end();
        return;
      }
      await responder(response, received);
    });
  }

  answers(...responders: Responder[]): this {
    this.responders.push(...responders);
    return this;
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Responder =>
  (response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

const completion = (content: string, finishReason = 'stop') => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
  usage: { prompt_tokens: 31, completion_tokens: 9, total_tokens: 40 },
});

const chunk = (content: string | null, finishReason: string | null = null) =>
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finishReason }],
    usage: null,
  });

/** Writes raw pieces of an SSE body with a pause between them, so lines arrive split across network chunks. */
const sse =
  (...pieces: string[]): Responder =>
  async (response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const piece of pieces) {
      response.write(piece);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    response.end();
  };

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('OpenAICompatibleModelClient', () => {
  let server: FakeChatServer;
  let baseUrl: string;
  let sleeps: number[];
  const clientWith = (options: Partial<OpenAICompatibleModelClientOptions> = {}) =>
    new OpenAICompatibleModelClient({
      baseUrl,
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      random: () => 0.5,
      baseDelayMs: 100,
      ...options,
    });

  beforeEach(async () => {
    server = new FakeChatServer();
    baseUrl = await server.start();
    sleeps = [];
  });
  afterEach(async () => server.close());

  it('is named openai-compatible and is a real model', () => {
    const client = clientWith();
    expect(client.name).toBe('openai-compatible');
    expect(client.isRealModel).toBe(true);
  });

  it.each(['file:///etc/passwd', 'ftp://10.0.0.5', 'javascript:alert(1)', 'localhost:8000', 'not a url'])(
    'refuses the base URL %s',
    (url) => {
      expect(() => new OpenAICompatibleModelClient({ baseUrl: url })).toThrow(RangeError);
    },
  );

  it('refuses a base URL carrying credentials', () => {
    expect(() => new OpenAICompatibleModelClient({ baseUrl: 'http://user:pw@10.0.0.5:8000' })).toThrow(
      'baseUrl must not carry credentials',
    );
  });

  describe('complete', () => {
    it('maps a reply to text, usage and stop reason', async () => {
      server.answers(json(200, completion('S: chest pain [NAME_7Q2K9D].', 'length')));

      const reply = await clientWith().complete(request());

      expect(reply).toMatchObject({
        text: 'S: chest pain [NAME_7Q2K9D].',
        usage: { inputTokens: 31, outputTokens: 9 },
        stopReason: 'max_tokens',
        client: 'openai-compatible',
      });
      expect(reply.latencyMs).toBeGreaterThanOrEqual(0);
    });

    it('posts model, system and user messages, max_tokens and temperature to /v1/chat/completions', async () => {
      server.answers(json(200, completion('ok')));

      await clientWith({ baseUrl: `${baseUrl}/` }).complete(
        request({
          messages: [
            { role: 'user', text: 'first' },
            { role: 'assistant', text: 'noted' },
            { role: 'user', text: PROMPT },
          ],
        }),
      );

      expect(server.received).toHaveLength(1);
      expect(server.received[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
      expect(server.received[0]?.headers['content-type']).toBe('application/json');
      expect(server.received[0]?.headers.authorization).toBeUndefined();
      expect(server.received[0]?.body).toEqual({
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        messages: [
          { role: 'system', content: 'You draft SOAP notes.' },
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'noted' },
          { role: 'user', content: PROMPT },
        ],
        max_tokens: 600,
        temperature: 0.1,
        stream: false,
      });
    });

    it('sends the API key as a bearer token when configured', async () => {
      server.answers(json(200, completion('ok')));

      await clientWith({ apiKey: 'sk-local-123' }).complete(request());

      expect(server.received[0]?.headers.authorization).toBe('Bearer sk-local-123');
    });

    it('retries a 429 then succeeds, waiting at least the Retry-After', async () => {
      server.answers(json(429, { error: { message: 'busy' } }, { 'retry-after': '1' }), json(200, completion('done')));

      const reply = await clientWith().complete(request());

      expect(reply.text).toBe('done');
      expect(server.received).toHaveLength(2);
      expect(sleeps).toEqual([1000]);
    });

    it('retries a 503 with jittered backoff and fails with UNAVAILABLE once attempts are exhausted', async () => {
      server.answers(json(503, { error: 'loading model' }));

      const error = await failureOf(clientWith({ maxAttempts: 3 }).complete(request()));

      expect(error).toBeInstanceOf(ModelCallFailed);
      expect(error).toMatchObject({ reason: 'UNAVAILABLE', causeName: 'HTTP_503' });
      expect(server.received).toHaveLength(3);
      expect(sleeps).toEqual([50, 100]);
    });

    it('rejects a 400 at once without the body that quotes the prompt', async () => {
      server.answers(json(400, { error: { message: `context too long: ${PROMPT}` } }));

      const error = await failureOf(clientWith().complete(request()));

      expect(error).toBeInstanceOf(ModelCallFailed);
      expect(error).toMatchObject({ reason: 'REJECTED', causeName: 'HTTP_400' });
      expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain('secret-prompt-marker');
      expect(server.received).toHaveLength(1);
      expect(sleeps).toEqual([]);
    });

    it('fails with INVALID_RESPONSE when the body is not a chat completion', async () => {
      server.answers(json(200, { choices: [] }), (response) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [');
      });

      await expect(clientWith().complete(request())).rejects.toMatchObject({ reason: 'INVALID_RESPONSE' });
      await expect(clientWith().complete(request())).rejects.toMatchObject({ reason: 'INVALID_RESPONSE' });
      expect(server.received).toHaveLength(2);
    });

    it('times out a server that does not answer', async () => {
      server.answers(() => {});

      await expect(clientWith({ timeoutMs: 50, maxAttempts: 2 }).complete(request())).rejects.toMatchObject({
        reason: 'TIMEOUT',
        causeName: 'TimeoutError',
      });
      expect(server.received).toHaveLength(2);
    });

    it('fails with UNAVAILABLE, naming the socket error, when nothing listens', async () => {
      const closed = new FakeChatServer();
      const closedUrl = await closed.start();
      await closed.close();

      await expect(clientWith({ baseUrl: closedUrl, maxAttempts: 2 }).complete(request())).rejects.toMatchObject({
        reason: 'UNAVAILABLE',
        causeName: 'ECONNREFUSED',
      });
      expect(sleeps).toHaveLength(1);
    });
  });

  describe('stream', () => {
    it('parses Server-Sent Events into ordered deltas and resolves with the final usage', async () => {
      server.answers(
        sse(
          ': keep-alive\n\n',
          `data: ${chunk('S: ')}\n\n`,
          // One event split across two network writes, then CRLF line ends.
          `data: ${chunk('chest').slice(0, 20)}`,
          `${chunk('chest').slice(20)}\n\r\n`,
          `data: ${chunk(' pain [NAME_7Q2K9D].')}\r\n\r\n`,
          `data: ${chunk(null, 'stop')}\n\n`,
          `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 40, completion_tokens: 7 } })}\n\n`,
          'data: [DONE]\n\n',
        ),
      );
      const deltas: string[] = [];

      const reply = await clientWith({ apiKey: 'sk-local-123' }).stream(request(), (text) => deltas.push(text));

      expect(deltas).toEqual(['S: ', 'chest', ' pain [NAME_7Q2K9D].']);
      expect(reply).toMatchObject({
        text: 'S: chest pain [NAME_7Q2K9D].',
        usage: { inputTokens: 40, outputTokens: 7 },
        stopReason: 'end_turn',
        client: 'openai-compatible',
      });
      expect(server.received[0]?.headers.accept).toBe('text/event-stream');
      expect(server.received[0]?.headers.authorization).toBe('Bearer sk-local-123');
      expect(server.received[0]?.body).toMatchObject({
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        max_tokens: 600,
        stream: true,
        stream_options: { include_usage: true },
      });
    });

    it('estimates usage at four characters a token when the server reports none', async () => {
      server.answers(sse(`data: ${chunk('abcdefghi')}\n\n`, `data: ${chunk(null, 'stop')}\n\n`, 'data: [DONE]\n\n'));
      const conversation = request({ system: 'abcd', messages: [{ role: 'user', text: 'efghij' }] });

      const reply = await clientWith().stream(conversation, () => {});

      expect(reply.usage).toEqual({ inputTokens: 3, outputTokens: 3 });
    });

    it('retries a 429 before any text and then streams', async () => {
      server.answers(
        json(429, { error: 'busy' }),
        sse(`data: ${chunk('ok')}\n\n`, `data: ${chunk(null, 'stop')}\n\n`, 'data: [DONE]\n\n'),
      );
      const deltas: string[] = [];

      const reply = await clientWith().stream(request(), (text) => deltas.push(text));

      expect(reply.text).toBe('ok');
      expect(deltas).toEqual(['ok']);
      expect(server.received).toHaveLength(2);
    });

    it('fails closed, without retrying, when the stream is cut after text was delivered', async () => {
      server.answers(sse(`data: ${chunk('partial')}\n\n`));
      const deltas: string[] = [];

      const error = await failureOf(clientWith().stream(request(), (text) => deltas.push(text)));

      expect(error).toMatchObject({ reason: 'INVALID_RESPONSE' });
      expect(deltas).toEqual(['partial']);
      expect(server.received).toHaveLength(1);
    });

    it('reports an error event in the stream as UNAVAILABLE', async () => {
      server.answers(sse(`data: ${chunk('a')}\n\n`, `data: ${JSON.stringify({ error: { message: PROMPT } })}\n\n`));

      const error = await failureOf(clientWith().stream(request(), () => {}));

      expect(error).toMatchObject({ reason: 'UNAVAILABLE', causeName: 'StreamError' });
      expect(String(error)).not.toContain('secret-prompt-marker');
    });

    it('rejects a 400 at once', async () => {
      server.answers(json(400, { error: 'bad request' }));

      await expect(clientWith().stream(request(), () => {})).rejects.toMatchObject({ reason: 'REJECTED' });
      expect(server.received).toHaveLength(1);
    });
  });
});
