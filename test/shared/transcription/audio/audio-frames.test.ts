import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audioFrames } from '../../../../shared/transcription/audio/audio-frames.ts';

async function* from(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

async function frames(chunks: readonly Uint8Array[], size: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const frame of audioFrames(from(chunks), size)) out.push(Uint8Array.from(frame));
  return out;
}

describe('audioFrames', () => {
  it('re-chunks into full frames and a shorter last one, keeping every byte in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 40 }),
        async (chunks, size) => {
          const out = await frames(chunks, size);
          const joined = chunks.flatMap((chunk) => [...chunk]);
          expect(out.flatMap((frame) => [...frame])).toEqual(joined);
          expect(out.slice(0, -1).every((frame) => frame.byteLength === size)).toBe(true);
          expect(out.every((frame) => frame.byteLength > 0 && frame.byteLength <= size)).toBe(true);
        },
      ),
    );
  });

  it('refuses a frame size that is not a positive integer', async () => {
    await expect(frames([new Uint8Array(4)], 0)).rejects.toThrow(RangeError);
  });
});
