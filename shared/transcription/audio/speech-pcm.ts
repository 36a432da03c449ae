/** The one PCM layout the transcribers accept: 16-bit little-endian, mono, at a rate Transcribe Medical supports. */
import { ValidationFailed } from '../../errors/domain-errors.ts';
import type { WavAudio } from './parse-wav.ts';

/** Transcribe Medical streaming accepts 16 kHz only for medical audio; 8 kHz telephony is out of scope here. */
export const SPEECH_SAMPLE_RATE_HZ = 16_000;
export const SPEECH_BYTES_PER_SAMPLE = 2;

/** Bytes of 16 kHz 16-bit mono PCM per millisecond (32). */
export const SPEECH_BYTES_PER_MS = (SPEECH_SAMPLE_RATE_HZ * SPEECH_BYTES_PER_SAMPLE) / 1000;

/**
 * Returns the PCM of a WAV that is already 16 kHz 16-bit mono, or throws ValidationFailed('UNSUPPORTED_AUDIO_FORMAT')
 * naming what differs (format facts only).
 */
export function requireSpeechPcm(wav: WavAudio): Uint8Array {
  if (wav.channels !== 1) {
    throw new ValidationFailed('UNSUPPORTED_AUDIO_FORMAT', 'The audio must be mono (1 channel)');
  }
  if (wav.bitsPerSample !== 16) {
    throw new ValidationFailed('UNSUPPORTED_AUDIO_FORMAT', 'The audio must be 16-bit PCM');
  }
  if (wav.sampleRateHz !== SPEECH_SAMPLE_RATE_HZ) {
    throw new ValidationFailed('UNSUPPORTED_AUDIO_FORMAT', 'The audio must be sampled at 16000 Hz');
  }
  return wav.pcm;
}
