import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  startTranscribeStreamingFake,
  type TranscribeFakeScript,
  type TranscribeStreamingFake,
} from '../../../../infra/local/transcribe-streaming-fake.ts';
import {
  TranscribeMedicalTranscriber,
  toTranscriptResults,
  transcriptionFailureReason,
} from '../../../../shared/adapters/aws/transcribe-medical-transcriber.ts';
import { type AudioSegment, TranscriptionFailed, type TranscriptResult } from '../../../../shared/ports/transcriber.ts';

let fake: TranscribeStreamingFake | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function startWith(script: TranscribeFakeScript): Promise<TranscribeMedicalTranscriber> {
  fake = await startTranscribeStreamingFake({ script });
  return new TranscribeMedicalTranscriber({
    region: 'us-east-1',
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
  });
}

/** `ms` of 16 kHz 16-bit mono PCM (a ramp, so bytes are not all zero), delivered in uneven chunks. */
function pcm(ms: number): Uint8Array {
  const bytes = new Uint8Array(ms * 32);
  for (let index = 0; index < bytes.length; index++) bytes[index] = index % 251;
  return bytes;
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

function segment(audioMs: number, overrides: Partial<AudioSegment> = {}): AudioSegment {
  return {
    encounterId: 'enc-test',
    segmentSeq: 0,
    encoding: 'pcm-s16le',
    sampleRateHz: 16_000,
    specialty: 'CARDIOLOGY',
    audio: chunks(pcm(audioMs), 5000),
    ...overrides,
  };
}

async function collect(results: AsyncIterable<TranscriptResult>): Promise<TranscriptResult[]> {
  const out: TranscriptResult[] = [];
  for await (const result of results) out.push(result);
  return out;
}

async function failure(
  results: AsyncIterable<TranscriptResult>,
): Promise<{ error: unknown; before: TranscriptResult[] }> {
  const before: TranscriptResult[] = [];
  try {
    for await (const result of results) before.push(result);
  } catch (error) {
    return { error, before };
  }
  throw new Error('expected the stream to fail');
}

describe('TranscribeMedicalTranscriber against the loopback event-stream fake', () => {
  it('streams audio as signed AudioEvents in 100 ms frames with the medical conversation settings', async () => {
    // Prepare
    const transcriber = await startWith({ steps: [] });

    // Act
    await collect(transcriber.transcribe(segment(1050)));

    // Assess
    const session = fake?.sessions[0];
    expect(session?.headers).toMatchObject({
      ':path': '/medical-stream-transcription',
      'x-amzn-transcribe-language-code': 'en-US',
      'x-amzn-transcribe-sample-rate': '16000',
      'x-amzn-transcribe-media-encoding': 'pcm',
      'x-amzn-transcribe-specialty': 'CARDIOLOGY',
      'x-amzn-transcribe-type': 'CONVERSATION',
      'x-amzn-transcribe-show-speaker-label': 'true',
    });
    expect(session?.audioBytes).toBe(1050 * 32);
    expect(session?.audioEvents).toBe(11);
    expect(session?.largestAudioEventBytes).toBe(3200);
    expect(session?.signedEnvelopes).toBe(true);
    expect(session?.audioEnded).toBe(true);
  });

  it('yields partials as they arrive, then the final with its speaker', async () => {
    const transcriber = await startWith({
      steps: [
        {
          afterAudioBytes: 3200,
          results: [{ resultId: 'r-1', isPartial: true, startMs: 0, endMs: 400, transcript: 'chest' }],
        },
        {
          afterAudioBytes: 9600,
          results: [{ resultId: 'r-1', isPartial: true, startMs: 0, endMs: 900, transcript: 'chest pain since' }],
        },
        {
          results: [
            {
              resultId: 'r-1',
              isPartial: false,
              startMs: 120,
              endMs: 1460,
              transcript: 'Chest pain since Monday.',
              items: [
                { content: 'Chest', startMs: 120, endMs: 400, speaker: '1' },
                { content: 'pain', startMs: 400, endMs: 700, speaker: '1' },
                { content: 'since', startMs: 700, endMs: 900, speaker: '1' },
                { content: 'Monday', startMs: 900, endMs: 1460, speaker: '1' },
                { content: '.', startMs: 1460, endMs: 1460, type: 'punctuation' },
              ],
            },
          ],
        },
      ],
    });

    const results = await collect(transcriber.transcribe(segment(1500)));

    expect(results).toEqual([
      { resultId: 'r-1', isPartial: true, text: 'chest', startMs: 0, endMs: 400 },
      { resultId: 'r-1', isPartial: true, text: 'chest pain since', startMs: 0, endMs: 900 },
      {
        resultId: 'r-1',
        isPartial: false,
        text: 'Chest pain since Monday.',
        startMs: 120,
        endMs: 1460,
        speaker: 'spk_1',
      },
    ]);
  });

  it('splits a final spanning two speakers into one result per speaker turn', async () => {
    const transcriber = await startWith({
      steps: [
        {
          results: [
            {
              resultId: 'r-7',
              isPartial: false,
              startMs: 0,
              endMs: 2000,
              transcript: 'Any allergies? Penicillin.',
              items: [
                { content: 'Any', startMs: 0, endMs: 300, speaker: '0' },
                { content: 'allergies', startMs: 300, endMs: 900, speaker: '0' },
                { content: '?', startMs: 900, endMs: 900, type: 'punctuation' },
                { content: 'Penicillin', startMs: 1200, endMs: 2000, speaker: '1' },
                { content: '.', startMs: 2000, endMs: 2000, type: 'punctuation' },
              ],
            },
          ],
        },
      ],
    });

    const results = await collect(transcriber.transcribe(segment(2000)));

    expect(results).toEqual([
      { resultId: 'r-7#0', isPartial: false, text: 'Any allergies?', startMs: 0, endMs: 900, speaker: 'spk_0' },
      { resultId: 'r-7#1', isPartial: false, text: 'Penicillin.', startMs: 1200, endMs: 2000, speaker: 'spk_1' },
    ]);
  });

  it('fails with BAD_AUDIO on a mid-stream BadRequestException, after the results sent before it', async () => {
    const transcriber = await startWith({
      steps: [
        {
          afterAudioBytes: 3200,
          results: [{ resultId: 'r-1', isPartial: false, startMs: 0, endMs: 100, transcript: 'Hello.' }],
        },
        {
          afterAudioBytes: 6400,
          exception: { type: 'BadRequestException', message: 'Your stream is too big (quoting request data)' },
        },
        { results: [{ resultId: 'r-2', isPartial: false, startMs: 0, endMs: 100, transcript: 'never sent' }] },
      ],
    });

    const { error, before } = await failure(transcriber.transcribe(segment(3000)));

    expect(before.map((result) => result.text)).toEqual(['Hello.']);
    expect(error).toBeInstanceOf(TranscriptionFailed);
    expect((error as TranscriptionFailed).reason).toBe('BAD_AUDIO');
    // The service's message is never passed on: it can quote the request.
    expect((error as Error).message).not.toContain('quoting');
    expect(fake?.sessions[0]?.sent).toEqual(['TranscriptEvent', 'BadRequestException']);
  });

  describe('with live audio that only ends when released', () => {
    let released = false;
    async function* live(): AsyncGenerator<Uint8Array> {
      released = false;
      try {
        for (;;) {
          yield pcm(100);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      } finally {
        released = true;
      }
    }

    it('stops pulling audio once the stream has failed', async () => {
      const transcriber = await startWith({
        steps: [{ afterAudioBytes: 3200, exception: { type: 'BadRequestException', message: 'bad' } }],
      });

      await failure(transcriber.transcribe(segment(0, { audio: live() })));

      await vi.waitFor(() => expect(released).toBe(true));
    });

    it('stops pulling audio when the consumer stops reading results', async () => {
      const transcriber = await startWith({
        steps: [
          {
            afterAudioBytes: 3200,
            results: [{ resultId: 'r-1', isPartial: true, startMs: 0, endMs: 100, transcript: 'first' }],
          },
        ],
      });

      for await (const result of transcriber.transcribe(segment(0, { audio: live() }))) {
        expect(result.text).toBe('first');
        break;
      }

      await vi.waitFor(() => expect(released).toBe(true));
    });
  });

  it('fails with LIMIT_EXCEEDED when the stream hits a service limit mid-stream', async () => {
    const transcriber = await startWith({
      steps: [{ afterAudioBytes: 3200, exception: { type: 'LimitExceededException', message: 'too long' } }],
    });

    const { error } = await failure(transcriber.transcribe(segment(1000)));

    expect((error as TranscriptionFailed).reason).toBe('LIMIT_EXCEEDED');
  });

  it('fails with UNAVAILABLE when the service fails mid-stream', async () => {
    const transcriber = await startWith({
      steps: [{ afterAudioBytes: 3200, exception: { type: 'ServiceUnavailableException', message: 'busy' } }],
    });

    const { error } = await failure(transcriber.transcribe(segment(1000)));

    expect((error as TranscriptionFailed).reason).toBe('UNAVAILABLE');
  });

  it('fails with THROTTLED, without retrying, when the start is refused with 429', async () => {
    const transcriber = await startWith({
      refuseStart: { status: 429, errorType: 'LimitExceededException', message: 'too many streams' },
      steps: [],
    });

    const { error, before } = await failure(transcriber.transcribe(segment(500)));

    expect(before).toEqual([]);
    expect(error).toBeInstanceOf(TranscriptionFailed);
    expect((error as TranscriptionFailed).reason).toBe('THROTTLED');
    expect(fake?.sessions).toHaveLength(1);
  });

  it('stops streaming when aborted and rethrows the abort, not a transcription failure', async () => {
    const transcriber = await startWith({
      steps: [
        {
          afterAudioBytes: 3200,
          results: [{ resultId: 'r-1', isPartial: true, startMs: 0, endMs: 100, transcript: 'partial' }],
        },
      ],
    });
    const controller = new AbortController();
    // Audio that never ends on its own: only the abort can stop the stream.
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        yield pcm(100);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }

    const results: TranscriptResult[] = [];
    const outcome = (async () => {
      for await (const result of transcriber.transcribe(segment(0, { audio: endless() }), controller.signal)) {
        results.push(result);
        controller.abort();
      }
    })();

    await expect(outcome).rejects.toMatchObject({ name: 'AbortError' });
    expect(results.map((result) => result.text)).toEqual(['partial']);
  });

  it('refuses text frames and unsupported sample rates before opening a stream', async () => {
    const transcriber = await startWith({ steps: [] });

    for (const overrides of [{ encoding: 'text-frames' as const }, { sampleRateHz: 0 }, { sampleRateHz: 96_000 }]) {
      const { error } = await failure(transcriber.transcribe(segment(100, overrides)));
      expect((error as TranscriptionFailed).reason).toBe('BAD_AUDIO');
    }
    expect(fake?.sessions).toHaveLength(0);
  });

  it('sends Ogg/Opus as ogg-opus media', async () => {
    const transcriber = await startWith({ steps: [] });

    await collect(transcriber.transcribe(segment(100, { encoding: 'ogg-opus', sampleRateHz: 48_000 })));

    expect(fake?.sessions[0]?.headers['x-amzn-transcribe-media-encoding']).toBe('ogg-opus');
    expect(fake?.sessions[0]?.headers['x-amzn-transcribe-sample-rate']).toBe('48000');
  });
});

describe('toTranscriptResults', () => {
  it('drops results without an id or alternative and empty partials', () => {
    expect(toTranscriptResults({ IsPartial: false, Alternatives: [{ Transcript: 'x' }] })).toEqual([]);
    expect(toTranscriptResults({ ResultId: 'a', IsPartial: false, Alternatives: [] })).toEqual([]);
    expect(toTranscriptResults({ ResultId: 'a', IsPartial: true, Alternatives: [{ Transcript: '' }] })).toEqual([]);
  });
});

describe('transcriptionFailureReason', () => {
  const named = (name: string, status?: number) =>
    Object.assign(new Error('x'), { name, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });

  it('maps service errors to the port reasons', () => {
    expect(transcriptionFailureReason(named('LimitExceededException', 429))).toBe('THROTTLED');
    expect(transcriptionFailureReason(named('LimitExceededException'))).toBe('LIMIT_EXCEEDED');
    expect(transcriptionFailureReason(named('BadRequestException', 400))).toBe('BAD_AUDIO');
    expect(transcriptionFailureReason(named('BadRequestException'))).toBe('BAD_AUDIO');
    expect(transcriptionFailureReason(named('InternalFailureException', 500))).toBe('UNAVAILABLE');
    expect(transcriptionFailureReason(named('ConflictException', 409))).toBe('UNAVAILABLE');
    expect(transcriptionFailureReason(new TypeError('socket hang up'))).toBe('UNAVAILABLE');
  });
});
