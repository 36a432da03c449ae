/**
 * A loopback stand-in for Amazon Transcribe Medical streaming: a plain HTTP/2 (h2c) server that speaks the AWS
 * event-stream encoding at `/medical-stream-transcription`, so the real SDK adapter runs end to end without AWS.
 * What it answers is scripted per test; it never recognises speech. Audio is counted, never kept.
 */
import { randomUUID } from 'node:crypto';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec, type Message, type MessageHeaders } from '@smithy/eventstream-codec';

export const MEDICAL_STREAM_PATH = '/medical-stream-transcription';

export type TranscribeExceptionType =
  | 'BadRequestException'
  | 'LimitExceededException'
  | 'InternalFailureException'
  | 'ConflictException'
  | 'ServiceUnavailableException';

export interface FakeItem {
  readonly content: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly type?: 'pronunciation' | 'punctuation';
  readonly speaker?: string;
}

export interface FakeResult {
  readonly resultId: string;
  readonly isPartial: boolean;
  readonly startMs: number;
  readonly endMs: number;
  readonly transcript: string;
  readonly items?: readonly FakeItem[];
}

/** One message the fake sends: transcript results, or a modelled exception that ends the stream. */
export type FakeOutput =
  | { readonly results: readonly FakeResult[] }
  | { readonly exception: { readonly type: TranscribeExceptionType; readonly message: string } };

/** What the fake knows about one stream: the start request's headers and how much audio arrived (not the audio). */
export interface FakeSession {
  readonly index: number;
  readonly sessionId: string;
  readonly headers: Readonly<Record<string, string>>;
  audioEvents: number;
  audioBytes: number;
  largestAudioEventBytes: number;
  /** True when every audio event arrived inside a signed envelope (`:date` + `:chunk-signature`). */
  signedEnvelopes: boolean;
  /** The client sent the empty end-of-stream frame (or closed its side). */
  audioEnded: boolean;
  /** `:event-type` of each message the fake sent, in order. */
  readonly sent: string[];
}

/** Decides the answers of one stream; called after each audio event and once at the end of the audio. */
export interface FakeResponder {
  /** Refuse the stream before it starts with an HTTP error (e.g. a throttled start). */
  refuseStart?(
    session: FakeSession,
  ): { status: number; errorType: TranscribeExceptionType; message: string } | undefined;
  onAudio?(session: FakeSession): readonly FakeOutput[];
  onAudioEnd(session: FakeSession): readonly FakeOutput[];
}

/** A declarative script: each step is sent once `afterAudioBytes` have arrived (default: at the end of the audio). */
export interface TranscribeFakeScript {
  readonly refuseStart?: { status: number; errorType: TranscribeExceptionType; message: string };
  readonly steps: readonly (FakeOutput & { readonly afterAudioBytes?: number })[];
}

export interface TranscribeStreamingFake {
  /** `http://127.0.0.1:<port>`: give it to the SDK client as `endpoint`. */
  readonly endpoint: string;
  readonly sessions: readonly FakeSession[];
  close(): Promise<void>;
}

export interface TranscribeStreamingFakeOptions {
  /** A fixed script for every stream, or a responder built per stream. */
  readonly script: TranscribeFakeScript | ((session: FakeSession) => FakeResponder);
  readonly host?: string;
  readonly port?: number;
}

const REQUIRED_HEADERS = {
  'x-amzn-transcribe-language-code': ['en-US'],
  'x-amzn-transcribe-media-encoding': ['pcm', 'ogg-opus', 'flac'],
  'x-amzn-transcribe-specialty': ['PRIMARYCARE', 'CARDIOLOGY', 'NEUROLOGY', 'ONCOLOGY', 'RADIOLOGY', 'UROLOGY'],
  'x-amzn-transcribe-type': ['CONVERSATION', 'DICTATION'],
} as const;
// Response headers echoing the request, as the service does.
const ECHOED_HEADERS = [
  'x-amzn-transcribe-language-code',
  'x-amzn-transcribe-sample-rate',
  'x-amzn-transcribe-media-encoding',
  'x-amzn-transcribe-specialty',
  'x-amzn-transcribe-type',
  'x-amzn-transcribe-show-speaker-label',
];

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes) => utf8Decoder.decode(bytes),
  (text) => utf8Encoder.encode(text),
);

/** Turns a declarative script into a responder that walks its steps in order. */
export function scriptResponder(script: TranscribeFakeScript): FakeResponder {
  let next = 0;
  const due = (session: FakeSession, atEnd: boolean): FakeOutput[] => {
    const out: FakeOutput[] = [];
    while (next < script.steps.length) {
      const step = script.steps[next];
      if (!step) break;
      const ready = step.afterAudioBytes === undefined ? atEnd : atEnd || session.audioBytes >= step.afterAudioBytes;
      if (!ready) break;
      out.push(step);
      next++;
    }
    return out;
  };
  return {
    refuseStart: () => script.refuseStart,
    onAudio: (session) => due(session, false),
    onAudioEnd: (session) => due(session, true),
  };
}

function resultJson(result: FakeResult): unknown {
  return {
    ResultId: result.resultId,
    IsPartial: result.isPartial,
    StartTime: result.startMs / 1000,
    EndTime: result.endMs / 1000,
    Alternatives: [
      {
        Transcript: result.transcript,
        Items: (result.items ?? []).map((item) => ({
          Content: item.content,
          StartTime: item.startMs / 1000,
          EndTime: item.endMs / 1000,
          Type: item.type ?? 'pronunciation',
          ...(item.type === 'punctuation' ? {} : { Confidence: 1 }),
          ...(item.speaker ? { Speaker: item.speaker } : {}),
        })),
        Entities: [],
      },
    ],
  };
}

function encodeOutput(output: FakeOutput): { eventType: string; bytes: Uint8Array } {
  if ('results' in output) {
    const headers: MessageHeaders = {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'TranscriptEvent' },
      ':content-type': { type: 'string', value: 'application/json' },
    };
    const body = utf8Encoder.encode(JSON.stringify({ Transcript: { Results: output.results.map(resultJson) } }));
    return { eventType: 'TranscriptEvent', bytes: codec.encode({ headers, body }) };
  }
  const headers: MessageHeaders = {
    ':message-type': { type: 'string', value: 'exception' },
    ':exception-type': { type: 'string', value: output.exception.type },
    ':content-type': { type: 'string', value: 'application/json' },
  };
  const body = utf8Encoder.encode(JSON.stringify({ Message: output.exception.message }));
  return { eventType: output.exception.type, bytes: codec.encode({ headers, body }) };
}

/** Splits a byte stream into event-stream messages by their 4-byte big-endian total-length prelude. */
class MessageFramer {
  private pending = new Uint8Array(0);

  push(chunk: Uint8Array): Message[] {
    const joined = new Uint8Array(this.pending.byteLength + chunk.byteLength);
    joined.set(this.pending);
    joined.set(chunk, this.pending.byteLength);
    const messages: Message[] = [];
    let offset = 0;
    while (joined.byteLength - offset >= 4) {
      const length = new DataView(joined.buffer, joined.byteOffset + offset, 4).getUint32(0, false);
      if (length < 16 || joined.byteLength - offset < length) break;
      messages.push(codec.decode(joined.subarray(offset, offset + length)));
      offset += length;
    }
    this.pending = joined.slice(offset);
    return messages;
  }
}

function headerValue(headers: MessageHeaders, name: string): unknown {
  return headers[name]?.value;
}

function startRefusal(
  headers: http2.IncomingHttpHeaders,
): { status: number; errorType: TranscribeExceptionType; message: string } | undefined {
  if (headers[':method'] !== 'POST' || headers[':path'] !== MEDICAL_STREAM_PATH) {
    return { status: 404, errorType: 'BadRequestException', message: 'Unknown operation' };
  }
  if (!String(headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
    return { status: 403, errorType: 'BadRequestException', message: 'The request is not signed' };
  }
  for (const [name, allowed] of Object.entries(REQUIRED_HEADERS)) {
    const value = headers[name];
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      return { status: 400, errorType: 'BadRequestException', message: `Invalid or missing ${name}` };
    }
  }
  const rate = Number(headers['x-amzn-transcribe-sample-rate']);
  if (!Number.isInteger(rate) || rate < 8000 || rate > 48000) {
    return { status: 400, errorType: 'BadRequestException', message: 'Invalid x-amzn-transcribe-sample-rate' };
  }
  return undefined;
}

function refuse(
  stream: http2.ServerHttp2Stream,
  refusal: { status: number; errorType: TranscribeExceptionType; message: string },
): void {
  stream.respond({
    ':status': refusal.status,
    'content-type': 'application/json',
    'x-amzn-errortype': refusal.errorType,
    'x-amzn-request-id': randomUUID(),
  });
  stream.end(JSON.stringify({ Message: refusal.message }));
}

/** Starts the fake on an ephemeral loopback port. */
export async function startTranscribeStreamingFake(
  options: TranscribeStreamingFakeOptions,
): Promise<TranscribeStreamingFake> {
  const sessions: FakeSession[] = [];
  const server = http2.createServer();
  const open = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    open.add(session);
    session.on('close', () => open.delete(session));
  });

  server.on('stream', (stream, requestHeaders) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(requestHeaders)) {
      if (typeof value === 'string' && (name.startsWith('x-amz') || name.startsWith(':'))) headers[name] = value;
    }
    const session: FakeSession = {
      index: sessions.length,
      sessionId: requestHeaders['x-amzn-transcribe-session-id']?.toString() ?? randomUUID(),
      headers,
      audioEvents: 0,
      audioBytes: 0,
      largestAudioEventBytes: 0,
      signedEnvelopes: true,
      audioEnded: false,
      sent: [],
    };
    sessions.push(session);
    const responder = typeof options.script === 'function' ? options.script(session) : scriptResponder(options.script);

    const refusal = startRefusal(requestHeaders) ?? responder.refuseStart?.(session);
    if (refusal) {
      stream.resume();
      refuse(stream, refusal);
      return;
    }
    stream.respond({
      ':status': 200,
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-request-id': randomUUID(),
      'x-amzn-transcribe-session-id': session.sessionId,
      ...Object.fromEntries(ECHOED_HEADERS.flatMap((name) => (headers[name] ? [[name, headers[name]]] : []))),
    });

    let finished = false;
    const send = (outputs: readonly FakeOutput[]) => {
      for (const output of outputs) {
        if (finished) return;
        const { eventType, bytes } = encodeOutput(output);
        session.sent.push(eventType);
        stream.write(bytes);
        if ('exception' in output) finish();
      }
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      stream.end();
    };
    const endOfAudio = () => {
      if (session.audioEnded) return;
      session.audioEnded = true;
      send(responder.onAudioEnd(session));
      finish();
    };

    const framer = new MessageFramer();
    stream.on('data', (chunk: Buffer) => {
      if (finished) return;
      let envelopes: Message[];
      try {
        envelopes = framer.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      } catch {
        send([{ exception: { type: 'BadRequestException', message: 'Malformed event-stream message' } }]);
        return;
      }
      for (const envelope of envelopes) {
        if (finished || session.audioEnded) return;
        if (
          headerValue(envelope.headers, ':chunk-signature') === undefined ||
          !headerValue(envelope.headers, ':date')
        ) {
          session.signedEnvelopes = false;
        }
        // The SDK's signer wraps each event in an envelope; an empty envelope body marks the end of the audio.
        if (envelope.body.byteLength === 0) {
          endOfAudio();
          return;
        }
        const event = codec.decode(envelope.body);
        const eventType = headerValue(event.headers, ':event-type');
        if (headerValue(event.headers, ':message-type') !== 'event') {
          send([{ exception: { type: 'BadRequestException', message: 'Expected an event message' } }]);
          return;
        }
        if (eventType === 'ConfigurationEvent') continue;
        if (eventType !== 'AudioEvent') {
          send([{ exception: { type: 'BadRequestException', message: 'Unexpected event type' } }]);
          return;
        }
        session.audioEvents++;
        session.audioBytes += event.body.byteLength;
        session.largestAudioEventBytes = Math.max(session.largestAudioEventBytes, event.body.byteLength);
        send(responder.onAudio?.(session) ?? []);
      }
    });
    stream.on('end', endOfAudio);
    stream.on('error', () => {
      finished = true;
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of open) session.destroy();
        server.close(() => resolve());
      }),
  };
}
