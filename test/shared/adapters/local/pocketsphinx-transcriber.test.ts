import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findPocketsphinx,
  PocketsphinxTranscriber,
} from '../../../../shared/adapters/local/pocketsphinx-transcriber.ts';
import type { AudioSegment, TranscriptionFailed, TranscriptResult } from '../../../../shared/ports/transcriber.ts';
import { parseWav } from '../../../../shared/transcription/audio/parse-wav.ts';
import { resamplePcm16 } from '../../../../shared/transcription/audio/resample-pcm16.ts';

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function segment(pcm: Uint8Array, overrides: Partial<AudioSegment> = {}): AudioSegment {
  return {
    encounterId: 'enc-1',
    segmentSeq: 0,
    encoding: 'pcm-s16le',
    sampleRateHz: 16_000,
    specialty: 'PRIMARYCARE',
    audio: once(pcm),
    ...overrides,
  };
}

async function collect(results: AsyncIterable<TranscriptResult>): Promise<TranscriptResult[]> {
  const out: TranscriptResult[] = [];
  for await (const result of results) out.push(result);
  return out;
}

// A stand-in binary printing what pocketsphinx_continuous -time yes prints, so parsing is tested everywhere.
const scratch = mkdtempSync(join(tmpdir(), 'sphinx-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scriptedDecoder(output: string, exitCode = 0): string {
  const path = join(scratch, `decoder-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(path, `#!/bin/sh\ncat > /dev/null\nprintf '%s' '${output}'\nexit ${exitCode}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('PocketsphinxTranscriber (scripted decoder)', () => {
  it('turns each <s>...</s> utterance into a final result without fillers or alternate-pronunciation marks', async () => {
    const binary = scriptedDecoder(
      [
        'the patient',
        '<s> 0.000 0.210 0.999',
        'the 0.220 0.300 0.37',
        '<sil> 0.300 0.500 0.9',
        'patient(2) 0.510 0.930 0.11',
        '</s> 0.940 1.100 1.0',
        '<s> 1.500 1.600 1.0',
        '[NOISE] 1.600 1.700 1.0',
        '</s> 1.700 1.800 1.0',
        'denies pain',
        '<s> 2.000 2.100 1.0',
        'denies 2.100 2.500 0.5',
        'pain 2.500 2.900 0.5',
        '</s> 2.900 3.000 1.0',
        '',
      ].join('\n'),
    );

    const results = await collect(new PocketsphinxTranscriber({ binary }).transcribe(segment(new Uint8Array(3200))));

    expect(results).toEqual([
      { resultId: 'sphinx-0-0', isPartial: false, text: 'the patient', startMs: 220, endMs: 930 },
      { resultId: 'sphinx-0-1', isPartial: false, text: 'denies pain', startMs: 2100, endMs: 2900 },
    ]);
  });

  it('fails with UNAVAILABLE when the decoder exits with an error', async () => {
    const binary = scriptedDecoder('', 3);

    const failure = await collect(
      new PocketsphinxTranscriber({ binary }).transcribe(segment(new Uint8Array(320))),
    ).catch((error: unknown) => error);

    expect((failure as TranscriptionFailed).reason).toBe('UNAVAILABLE');
  });

  it('refuses anything but 16 kHz PCM with BAD_AUDIO', async () => {
    const transcriber = new PocketsphinxTranscriber({ binary: scriptedDecoder('') });
    for (const overrides of [{ sampleRateHz: 8_000 }, { encoding: 'ogg-opus' as const }]) {
      const failure = await collect(transcriber.transcribe(segment(new Uint8Array(320), overrides))).catch(
        (e: unknown) => e,
      );
      expect((failure as TranscriptionFailed).reason).toBe('BAD_AUDIO');
    }
  });

  it('reports a missing binary with the set-up script to run', () => {
    expect(findPocketsphinx(scratch)).toEqual({
      available: false,
      reason: expect.stringContaining('install-speech-tools.sh'),
    });
  });
});

const installed = findPocketsphinx();
const espeak = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8' });
const realTools = installed.available && espeak.status === 0;
if (!realTools) {
  console.info(
    `skipping the real pocketsphinx test: ${installed.available ? 'espeak-ng is not installed' : installed.reason}`,
  );
}

describe.skipIf(!realTools)('PocketsphinxTranscriber (Debian pocketsphinx, espeak-ng speech)', () => {
  it('recognises synthetic speech through stdin into at least one final result with word times', async () => {
    const wav = spawnSync('espeak-ng', ['--stdout', 'The patient has a fever and a cough.'], { maxBuffer: 1 << 24 });
    const speech = parseWav(new Uint8Array(wav.stdout));
    const pcm = resamplePcm16(speech.pcm, speech.sampleRateHz, 16_000);

    const results = await collect(new PocketsphinxTranscriber().transcribe(segment(pcm)));

    // What it hears is not asserted (it is a demo recogniser); that it hears words, in order, is.
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((result) => result.text.length > 0 && !result.isPartial)).toBe(true);
    expect(results.every((result) => result.endMs > result.startMs)).toBe(true);
  });
});
