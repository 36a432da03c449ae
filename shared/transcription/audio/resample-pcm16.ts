/** Converts mono 16-bit PCM between sample rates in memory, for tools that cannot emit 16 kHz (espeak-ng speaks at 22.05 kHz). */

/**
 * Linear-interpolation resampling of mono 16-bit little-endian PCM. Good enough for synthetic speech fed to a
 * recogniser; not a studio-grade filter (no anti-aliasing low-pass when downsampling).
 */
export function resamplePcm16(pcm: Uint8Array, fromHz: number, toHz: number): Uint8Array {
  if (fromHz === toHz) return pcm;
  const input = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength - (pcm.byteLength % 2));
  const inputSamples = input.byteLength / 2;
  const outputSamples = Math.floor((inputSamples * toHz) / fromHz);
  const output = new Uint8Array(outputSamples * 2);
  const outputView = new DataView(output.buffer);
  const step = fromHz / toHz;
  for (let index = 0; index < outputSamples; index++) {
    const position = index * step;
    const left = Math.floor(position);
    const right = Math.min(left + 1, inputSamples - 1);
    const fraction = position - left;
    const value = input.getInt16(left * 2, true) * (1 - fraction) + input.getInt16(right * 2, true) * fraction;
    outputView.setInt16(index * 2, Math.round(value), true);
  }
  return output;
}
