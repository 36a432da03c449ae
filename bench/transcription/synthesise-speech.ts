/** Speaks text with espeak-ng into 16 kHz mono PCM held in memory (espeak-ng writes its WAV to stdout, no file). */
import { execFile, spawnSync } from 'node:child_process';
import { parseWav } from '../../shared/transcription/audio/parse-wav.ts';
import { resamplePcm16 } from '../../shared/transcription/audio/resample-pcm16.ts';
import { SPEECH_SAMPLE_RATE_HZ } from '../../shared/transcription/audio/speech-pcm.ts';

/** The installed espeak-ng's version line, or undefined when it is not installed. */
export function espeakVersion(): string | undefined {
  const result = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** 16 kHz 16-bit mono PCM of `text` in espeak-ng's US English voice (it speaks at 22.05 kHz; resampled here). */
export function synthesiseSpeech(text: string, wordsPerMinute = 160): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    execFile(
      'espeak-ng',
      ['-v', 'en-us', '-s', String(wordsPerMinute), '--stdout', text],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        if (error) {
          reject(error);
          return;
        }
        const wav = parseWav(new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength));
        if (wav.channels !== 1 || wav.bitsPerSample !== 16) {
          reject(new Error('espeak-ng produced an unexpected WAV layout'));
          return;
        }
        resolve(resamplePcm16(wav.pcm, wav.sampleRateHz, SPEECH_SAMPLE_RATE_HZ));
      },
    );
  });
}
