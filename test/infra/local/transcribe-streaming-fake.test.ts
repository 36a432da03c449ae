import http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import { demoTranscribeResponder } from '../../../infra/local/transcribe-streaming-demo-script.ts';
import {
  MEDICAL_STREAM_PATH,
  startTranscribeStreamingFake,
  type TranscribeStreamingFake,
} from '../../../infra/local/transcribe-streaming-fake.ts';
import { TranscribeMedicalTranscriber } from '../../../shared/adapters/aws/transcribe-medical-transcriber.ts';
import type { TranscriptResult } from '../../../shared/ports/transcriber.ts';

let fake: TranscribeStreamingFake | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A raw HTTP/2 request, as a client that is not the SDK would send it. */
function rawRequest(
  endpoint: string,
  headers: http2.OutgoingHttpHeaders,
): Promise<{ status: number; errorType: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(endpoint);
    session.on('error', reject);
    const request = session.request({ ':method': 'POST', ...headers });
    request.on('response', (response) => {
      request.resume();
      request.on('end', () => {
        session.close();
        resolve({ status: Number(response[':status']), errorType: String(response['x-amzn-errortype'] ?? '') });
      });
    });
    request.end();
  });
}

const SIGNED_MEDICAL_HEADERS = {
  ':path': MEDICAL_STREAM_PATH,
  authorization: 'AWS4-HMAC-SHA256 Credential=X/20260101/us-east-1/transcribe/aws4_request, Signature=00',
  'x-amzn-transcribe-language-code': 'en-US',
  'x-amzn-transcribe-sample-rate': '16000',
  'x-amzn-transcribe-media-encoding': 'pcm',
  'x-amzn-transcribe-specialty': 'PRIMARYCARE',
  'x-amzn-transcribe-type': 'CONVERSATION',
};

describe('the loopback Transcribe streaming fake', () => {
  it('listens on an ephemeral loopback port over cleartext HTTP/2', async () => {
    fake = await startTranscribeStreamingFake({ script: { steps: [] } });

    expect(fake.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.endpoint).not.toMatch(/:0$/);
  });

  it('refuses an unsigned request, another path and missing or invalid stream settings', async () => {
    fake = await startTranscribeStreamingFake({ script: { steps: [] } });
    const { authorization: _signature, ...unsigned } = SIGNED_MEDICAL_HEADERS;

    expect(await rawRequest(fake.endpoint, unsigned)).toEqual({ status: 403, errorType: 'BadRequestException' });
    expect(
      await rawRequest(fake.endpoint, { ...SIGNED_MEDICAL_HEADERS, ':path': '/stream-transcription' }),
    ).toMatchObject({
      status: 404,
    });
    expect(
      await rawRequest(fake.endpoint, { ...SIGNED_MEDICAL_HEADERS, 'x-amzn-transcribe-specialty': 'DERMATOLOGY' }),
    ).toEqual({ status: 400, errorType: 'BadRequestException' });
    expect(
      await rawRequest(fake.endpoint, { ...SIGNED_MEDICAL_HEADERS, 'x-amzn-transcribe-sample-rate': '4000' }),
    ).toEqual({
      status: 400,
      errorType: 'BadRequestException',
    });
  });

  it('answers a started stream with the service headers', async () => {
    fake = await startTranscribeStreamingFake({ script: { steps: [] } });

    const response = await new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
      const session = http2.connect(fake?.endpoint ?? '');
      session.on('error', reject);
      const request = session.request({ ':method': 'POST', ...SIGNED_MEDICAL_HEADERS });
      request.on('response', (headers) => {
        request.resume();
        request.on('end', () => {
          session.close();
          resolve(headers);
        });
      });
      request.end();
    });

    expect(response[':status']).toBe(200);
    expect(response['content-type']).toBe('application/vnd.amazon.eventstream');
    expect(response['x-amzn-transcribe-session-id']).toEqual(expect.any(String));
    expect(response['x-amzn-request-id']).toEqual(expect.any(String));
    expect(response['x-amzn-transcribe-specialty']).toBe('PRIMARYCARE');
    expect(fake.sessions[0]?.audioEnded).toBe(true);
  });
});

describe('demoTranscribeResponder through the real adapter', () => {
  async function transcribeSeconds(seconds: number): Promise<TranscriptResult[]> {
    const transcriber = new TranscribeMedicalTranscriber({
      region: 'us-east-1',
      endpoint: fake?.endpoint ?? '',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      isClinicalGrade: false,
    });
    async function* audio() {
      yield new Uint8Array(seconds * 32_000);
    }
    const out: TranscriptResult[] = [];
    const segment = {
      encounterId: 'e',
      segmentSeq: 0,
      encoding: 'pcm-s16le' as const,
      sampleRateHz: 16_000,
      specialty: 'PRIMARYCARE' as const,
      audio: audio(),
    };
    for await (const result of transcriber.transcribe(segment)) out.push(result);
    return out;
  }

  it('sends a partial per second of audio, then one final labelled PLACEHOLDER, the same for the same audio', async () => {
    fake = await startTranscribeStreamingFake({ script: demoTranscribeResponder });

    const first = await transcribeSeconds(3);
    const second = await transcribeSeconds(3);

    expect(first.filter((result) => result.isPartial)).toHaveLength(3);
    const finals = first.filter((result) => !result.isPartial);
    expect(finals).toHaveLength(1);
    expect(finals[0]?.text).toMatch(/^PLACEHOLDER transcript .*3\.0 seconds of audio/);
    expect(finals[0]).toMatchObject({ startMs: 0, endMs: 3000, speaker: 'spk_0' });
    const strip = (results: TranscriptResult[]) => results.map(({ resultId: _id, ...rest }) => rest);
    expect(strip(second)).toEqual(strip(first));
  });
});
