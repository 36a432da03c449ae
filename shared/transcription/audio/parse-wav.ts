/** Reads a RIFF/WAVE container into its PCM format and sample bytes, refusing anything it cannot vouch for. */
import { ValidationFailed } from '../../errors/domain-errors.ts';

export interface WavAudio {
  readonly sampleRateHz: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** The sample bytes of the `data` chunk (a view into the input, not a copy). */
  readonly pcm: Uint8Array;
}

const WAVE_FORMAT_PCM = 1;
// WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
// Streaming writers (espeak-ng --stdout, ffmpeg to a pipe) cannot seek back, so they leave these placeholders as sizes.
const UNKNOWN_SIZES = new Set([0, 0xffffffff, 0x7fffffff, 0x7ffff000]);

function invalid(message: string): ValidationFailed {
  return new ValidationFailed('INVALID_WAV', message);
}

function fourCc(view: DataView, offset: number): string {
  return String.fromCharCode(
    view.getUint8(offset),
    view.getUint8(offset + 1),
    view.getUint8(offset + 2),
    view.getUint8(offset + 3),
  );
}

/**
 * Parses a little-endian integer PCM WAV file. Throws ValidationFailed('INVALID_WAV') when the container is not
 * RIFF/WAVE, the format is not integer PCM, or a chunk is truncated; messages name the problem, never the bytes.
 */
export function parseWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || fourCc(view, 0) !== 'RIFF' || fourCc(view, 8) !== 'WAVE') {
    throw invalid('The audio is not a RIFF/WAVE file');
  }
  let format: { sampleRateHz: number; channels: number; bitsPerSample: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = fourCc(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.byteLength) throw invalid('The WAV format chunk is truncated');
      let tag = view.getUint16(body, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        if (size < 40) throw invalid('The WAV extensible format chunk is truncated');
        tag = view.getUint16(body + 24, true);
      }
      if (tag !== WAVE_FORMAT_PCM) throw invalid('The WAV audio is not integer PCM');
      format = {
        channels: view.getUint16(body + 2, true),
        sampleRateHz: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
      if (format.channels === 0 || format.sampleRateHz === 0 || format.bitsPerSample % 8 !== 0) {
        throw invalid('The WAV format chunk is inconsistent');
      }
    } else if (id === 'data') {
      if (!format) throw invalid('The WAV data chunk comes before its format chunk');
      const remaining = bytes.byteLength - body;
      let length = size;
      if (size > remaining) {
        if (!UNKNOWN_SIZES.has(size)) throw invalid('The WAV data chunk is truncated');
        length = remaining;
      } else if (size === 0 && remaining > 0) {
        length = remaining;
      }
      const frameBytes = format.channels * (format.bitsPerSample / 8);
      length -= length % frameBytes;
      return { ...format, pcm: bytes.subarray(body, body + length) };
    }
    // Chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  throw invalid(format ? 'The WAV file has no data chunk' : 'The WAV file has no format chunk');
}
