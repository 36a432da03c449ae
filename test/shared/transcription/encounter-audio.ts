/** Synthesized encounter audio for tests: tone-and-noise utterances with pauses, carrying a distinctive byte canary. */
import { encodeWav } from '../../../shared/transcription/audio/encode-wav.ts';

export const SAMPLE_RATE_HZ = 16_000;

/** 32 bytes that occur in no other fixture: a scan that finds them has found the audio. */
export const AUDIO_CANARY = Buffer.from('c0ffee5a17d3a9e14b2f86c7d05e93b1a7f4482c6e19d0b35fa2c87e4d1b6093', 'hex');

/** A deterministic PRNG (mulberry32), so the same test always streams the same bytes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Utterances of the given lengths separated by silent pauses; the canary sits inside each utterance. */
export function synthesizeEncounterPcm(utteranceMs: readonly number[], pauseMs = 700): Uint8Array {
  const next = random(42);
  const samples: number[] = [];
  const silence = (ms: number) => {
    for (let i = 0; i < (ms * SAMPLE_RATE_HZ) / 1000; i++) samples.push(Math.round((next() - 0.5) * 40));
  };
  silence(pauseMs);
  utteranceMs.forEach((ms, index) => {
    const count = (ms * SAMPLE_RATE_HZ) / 1000;
    const hz = 180 + 60 * index;
    const canaryAt = Math.floor(count / 2);
    for (let i = 0; i < count; i++) {
      if (i === canaryAt) {
        for (let b = 0; b < AUDIO_CANARY.length; b += 2) samples.push(AUDIO_CANARY.readInt16LE(b));
        i += AUDIO_CANARY.length / 2 - 1;
        continue;
      }
      const tone = Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE_HZ) * 9000;
      samples.push(Math.round(tone + (next() - 0.5) * 4000));
    }
    silence(pauseMs);
  });
  const pcm = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, i) => {
    pcm.writeInt16LE(Math.max(-32768, Math.min(32767, sample)), i * 2);
  });
  return new Uint8Array(pcm);
}

export function synthesizeEncounterWav(utteranceMs: readonly number[], pauseMs = 700): Uint8Array {
  return encodeWav(synthesizeEncounterPcm(utteranceMs, pauseMs), SAMPLE_RATE_HZ);
}

/** The canary as raw bytes, hex, and base64 at each of the three byte alignments a larger base64 text may have. */
export function canaryForms(canary: Uint8Array = AUDIO_CANARY): {
  readonly bytes: Buffer;
  readonly texts: readonly string[];
} {
  const bytes = Buffer.from(canary);
  const texts = [bytes.toString('hex')];
  for (let shift = 0; shift < 3; shift++) {
    const usable = Math.floor((bytes.length - shift) / 3) * 3;
    texts.push(bytes.subarray(shift, shift + usable).toString('base64'));
  }
  return { bytes, texts };
}

/** Whether some form of the canary occurs in these bytes (read as bytes and as text). */
export function containsCanary(haystack: Uint8Array | string): boolean {
  const { bytes, texts } = canaryForms();
  const buffer = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : Buffer.from(haystack);
  if (buffer.includes(bytes)) return true;
  const text = buffer.toString('latin1');
  return texts.some((form) => text.includes(form));
}
