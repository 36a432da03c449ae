import { describe, expect, it } from 'vitest';
import { resamplePcm16 } from '../../../../shared/transcription/audio/resample-pcm16.ts';

function samples(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => {
    view.setInt16(index * 2, value, true);
  });
  return bytes;
}

function read(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength / 2 }, (_, index) => view.getInt16(index * 2, true));
}

describe('resamplePcm16', () => {
  it('returns the input unchanged at the same rate', () => {
    const pcm = samples([1, 2, 3]);
    expect(resamplePcm16(pcm, 16_000, 16_000)).toBe(pcm);
  });

  it('scales the sample count by the rate ratio and interpolates between neighbours', () => {
    const out = read(resamplePcm16(samples([0, 100, 200, 300]), 8_000, 16_000));
    expect(out).toEqual([0, 50, 100, 150, 200, 250, 300, 300]);
  });

  it('downsamples 22.05 kHz (espeak-ng) to 16 kHz keeping the duration', () => {
    const second = samples(Array.from({ length: 22_050 }, (_, index) => (index % 100) * 10));
    expect(resamplePcm16(second, 22_050, 16_000).byteLength).toBe(32_000);
  });
});
