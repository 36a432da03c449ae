import { describe, expect, it } from 'vitest';
import { type AudioSegment, TranscriptionFailed, type TranscriptResult } from '../../../shared/ports/transcriber.ts';
import { buildLocalTranscriber, readLocalTranscriberChoice } from '../../../shared/runtime/local-transcriber.ts';

async function* text(line: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(line);
}

function segment(encoding: AudioSegment['encoding'], line = 'spk_0: hello\n'): AudioSegment {
  return {
    encounterId: 'e',
    segmentSeq: 0,
    encoding,
    sampleRateHz: 16_000,
    specialty: 'PRIMARYCARE',
    audio: text(line),
  };
}

async function collect(results: AsyncIterable<TranscriptResult>): Promise<TranscriptResult[]> {
  const out: TranscriptResult[] = [];
  for await (const result of results) out.push(result);
  return out;
}

describe('readLocalTranscriberChoice', () => {
  it('defaults to the loopback Transcribe fake and refuses unknown names', () => {
    expect(readLocalTranscriberChoice({})).toBe('transcribe-fake');
    expect(readLocalTranscriberChoice({ LOCAL_TRANSCRIBER: ' pocketsphinx ' })).toBe('pocketsphinx');
    expect(() => readLocalTranscriberChoice({ LOCAL_TRANSCRIBER: 'whisper' })).toThrow(
      /LOCAL_TRANSCRIBER must be one of/,
    );
  });
});

describe('buildLocalTranscriber', () => {
  it('never claims clinical grade and says why loudly, whatever the choice', () => {
    for (const choice of ['transcribe-fake', 'pocketsphinx', 'text-frames'] as const) {
      const { transcriber, info } = buildLocalTranscriber({
        choice,
        region: 'us-east-1',
        transcribeEndpoint: 'http://127.0.0.1:1',
      });
      expect(transcriber.isClinicalGrade).toBe(false);
      expect(info.limitation).toMatch(/PLACEHOLDER|DEMO|no audio recogniser/);
    }
  });

  it('routes text frames to the text-frame mode and refuses audio when only text frames are configured', async () => {
    const { transcriber } = buildLocalTranscriber({ choice: 'text-frames', region: 'us-east-1' });

    expect(await collect(transcriber.transcribe(segment('text-frames')))).toMatchObject([
      { text: 'hello', speaker: 'spk_0' },
    ]);
    const failure = await collect(transcriber.transcribe(segment('pcm-s16le'))).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TranscriptionFailed);
    expect((failure as TranscriptionFailed).reason).toBe('UNAVAILABLE');
  });

  it('needs the fake endpoint for transcribe-fake', () => {
    expect(() => buildLocalTranscriber({ choice: 'transcribe-fake', region: 'us-east-1' })).toThrow(/fake endpoint/);
  });
});
