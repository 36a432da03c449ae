import { describe, expect, it } from 'vitest';
import { parseTextFrameLine, TextFrameTranscriber } from '../../../../shared/adapters/local/text-frame-transcriber.ts';
import { type AudioSegment, TranscriptionFailed, type TranscriptResult } from '../../../../shared/ports/transcriber.ts';

async function* bytes(chunks: readonly (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
}

function segment(
  chunks: readonly (string | Uint8Array)[],
  encoding: AudioSegment['encoding'] = 'text-frames',
): AudioSegment {
  return {
    encounterId: 'enc-1',
    segmentSeq: 3,
    encoding,
    sampleRateHz: 16_000,
    specialty: 'PRIMARYCARE',
    audio: bytes(chunks),
  };
}

async function collect(results: AsyncIterable<TranscriptResult>): Promise<TranscriptResult[]> {
  const out: TranscriptResult[] = [];
  for await (const result of results) out.push(result);
  return out;
}

const transcriber = new TextFrameTranscriber();

describe('TextFrameTranscriber', () => {
  it('turns each line into one final result with its speaker, in order, with estimated times', async () => {
    const results = await collect(
      transcriber.transcribe(
        segment(['clinician: Any chest pain?\npatient: Only when I cl', 'imb stairs.\r\n\nNo speaker here\n']),
      ),
    );

    expect(results).toEqual([
      {
        resultId: 'text-3-0',
        isPartial: false,
        text: 'Any chest pain?',
        startMs: 0,
        endMs: 1200,
        speaker: 'clinician',
      },
      {
        resultId: 'text-3-1',
        isPartial: false,
        text: 'Only when I climb stairs.',
        startMs: 1200,
        endMs: 3200,
        speaker: 'patient',
      },
      { resultId: 'text-3-2', isPartial: false, text: 'No speaker here', startMs: 3200, endMs: 4400 },
    ]);
    expect(transcriber.isClinicalGrade).toBe(false);
  });

  it('keeps a multi-byte character split across frames intact', async () => {
    const encoded = new TextEncoder().encode('spk_0: café au lait');
    const split = encoded.indexOf(0xc3) + 1;

    const results = await collect(
      transcriber.transcribe(segment([encoded.subarray(0, split), encoded.subarray(split)])),
    );

    expect(results.map((result) => result.text)).toEqual(['café au lait']);
  });

  it('refuses invalid UTF-8, over-long lines and audio encodings with BAD_AUDIO', async () => {
    for (const bad of [
      segment([Uint8Array.from([0x70, 0x3a, 0x20, 0xff, 0xfe])]),
      segment(['x'.repeat(5000)]),
      segment(['spk_0: hello\n'], 'pcm-s16le'),
    ]) {
      const failure = await collect(transcriber.transcribe(bad)).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TranscriptionFailed);
      expect((failure as TranscriptionFailed).reason).toBe('BAD_AUDIO');
    }
  });
});

describe('parseTextFrameLine', () => {
  it('reads a short label before a colon as the speaker and anything else as text', () => {
    expect(parseTextFrameLine('spk_1: yes')).toEqual({ speaker: 'spk_1', text: 'yes' });
    expect(parseTextFrameLine('  Dr.Lee :  noted ')).toEqual({ speaker: 'Dr.Lee', text: 'noted' });
    expect(parseTextFrameLine('at 10:30 she fell')).toEqual({ text: 'at 10:30 she fell' });
    expect(parseTextFrameLine('two words: no label')).toEqual({ text: 'two words: no label' });
  });
});
