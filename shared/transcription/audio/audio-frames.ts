/** Re-chunks an audio byte stream into frames of a fixed size, the shape streaming recognisers want on the wire. */

/**
 * Yields `frameBytes`-sized frames from arbitrarily sized chunks; the last frame may be shorter. Chunks are copied
 * into one reusable buffer only as far as needed, and nothing is kept once a frame is yielded.
 */
export async function* audioFrames(audio: AsyncIterable<Uint8Array>, frameBytes: number): AsyncGenerator<Uint8Array> {
  if (!Number.isInteger(frameBytes) || frameBytes <= 0) throw new RangeError('frameBytes must be a positive integer');
  let pending = new Uint8Array(frameBytes);
  let filled = 0;
  for await (const chunk of audio) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(frameBytes - filled, chunk.byteLength - offset);
      pending.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === frameBytes) {
        yield pending;
        pending = new Uint8Array(frameBytes);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield pending.subarray(0, filled);
}
