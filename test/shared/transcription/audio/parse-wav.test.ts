import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../../shared/errors/domain-errors.ts';
import { encodeWav } from '../../../../shared/transcription/audio/encode-wav.ts';
import { parseWav } from '../../../../shared/transcription/audio/parse-wav.ts';
import { requireSpeechPcm } from '../../../../shared/transcription/audio/speech-pcm.ts';

/** A WAV header with any format fields, for the cases encodeWav cannot produce. */
function wavWith(
  fields: { tag?: number; channels?: number; rate?: number; bits?: number; dataSize?: number },
  data: Uint8Array,
) {
  const { tag = 1, channels = 1, rate = 16_000, bits = 16 } = fields;
  const bytes = new Uint8Array(44 + data.byteLength);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) =>
    [...text].forEach((c, i) => {
      view.setUint8(offset + i, c.charCodeAt(0));
    });
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + data.byteLength, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, tag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, (rate * channels * bits) / 8, true);
  view.setUint16(32, (channels * bits) / 8, true);
  view.setUint16(34, bits, true);
  ascii(36, 'data');
  view.setUint32(40, fields.dataSize ?? data.byteLength, true);
  bytes.set(data, 44);
  return bytes;
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return error instanceof ValidationFailed ? error.code : 'not a ValidationFailed';
  }
  return undefined;
}

describe('parseWav', () => {
  it('reads the format and the sample bytes of a 16 kHz mono 16-bit file', () => {
    const pcm = Uint8Array.from([1, 2, 3, 4, 5, 6]);

    const wav = parseWav(encodeWav(pcm, 16_000));

    expect(wav).toMatchObject({ sampleRateHz: 16_000, channels: 1, bitsPerSample: 16 });
    expect([...wav.pcm]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('skips chunks it does not know (LIST) and honours odd-size padding', () => {
    const pcm = Uint8Array.from([9, 8, 7, 6]);
    const plain = encodeWav(pcm, 16_000);
    const list = Uint8Array.from([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 65, 66, 67, 0]));
    const withList = new Uint8Array(plain.byteLength + list.byteLength);
    withList.set(plain.subarray(0, 36));
    withList.set(list, 36);
    withList.set(plain.subarray(36), 36 + list.byteLength);

    expect([...parseWav(withList).pcm]).toEqual([9, 8, 7, 6]);
  });

  it('accepts the placeholder data size streaming writers (espeak-ng --stdout) leave, reading to the end', () => {
    const wav = parseWav(wavWith({ dataSize: 0x7ffff000 }, new Uint8Array(10)));

    expect(wav.pcm.byteLength).toBe(10);
  });

  it('reports other rates, channel counts and sample sizes as they are, for the caller to refuse', () => {
    const wav = parseWav(wavWith({ rate: 44_100, channels: 2, bits: 24 }, new Uint8Array(12)));

    expect(wav).toMatchObject({ sampleRateHz: 44_100, channels: 2, bitsPerSample: 24 });
    expect(wav.pcm.byteLength).toBe(12);
  });

  it('refuses what is not a RIFF/WAVE file, compressed formats and truncated chunks with INVALID_WAV', () => {
    const valid = encodeWav(new Uint8Array(64), 16_000);
    expect(codeOf(() => parseWav(new TextEncoder().encode('not a wav file at all, really')))).toBe('INVALID_WAV');
    expect(codeOf(() => parseWav(new Uint8Array(0)))).toBe('INVALID_WAV');
    expect(codeOf(() => parseWav(wavWith({ tag: 3 }, new Uint8Array(8))))).toBe('INVALID_WAV'); // IEEE float
    expect(codeOf(() => parseWav(wavWith({ tag: 85 }, new Uint8Array(8))))).toBe('INVALID_WAV'); // MP3
    expect(codeOf(() => parseWav(valid.subarray(0, 30)))).toBe('INVALID_WAV'); // inside the fmt chunk
    expect(codeOf(() => parseWav(valid.subarray(0, 44 + 20)))).toBe('INVALID_WAV'); // data shorter than declared
    expect(codeOf(() => parseWav(valid.subarray(0, 36)))).toBe('INVALID_WAV'); // no data chunk
  });

  it('never throws anything but INVALID_WAV on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const code = codeOf(() => parseWav(bytes));
        return code === undefined || code === 'INVALID_WAV';
      }),
    );
  });
});

describe('requireSpeechPcm', () => {
  it('passes 16 kHz 16-bit mono through and refuses other layouts with UNSUPPORTED_AUDIO_FORMAT', () => {
    const pcm = new Uint8Array(4);
    expect(requireSpeechPcm({ sampleRateHz: 16_000, channels: 1, bitsPerSample: 16, pcm })).toBe(pcm);
    for (const format of [
      { sampleRateHz: 8_000, channels: 1, bitsPerSample: 16 },
      { sampleRateHz: 16_000, channels: 2, bitsPerSample: 16 },
      { sampleRateHz: 16_000, channels: 1, bitsPerSample: 8 },
    ]) {
      expect(codeOf(() => requireSpeechPcm({ ...format, pcm }))).toBe('UNSUPPORTED_AUDIO_FORMAT');
    }
  });
});
