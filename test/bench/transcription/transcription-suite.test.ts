import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { formatTranscriptionReport, runTranscriptionSuite } from '../../../bench/transcription/transcription-suite.ts';

const originalPath = process.env.PATH;
const emptyDir = mkdtempSync(join(tmpdir(), 'no-speech-tools-'));

afterEach(() => {
  process.env.PATH = originalPath;
});
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

describe('runTranscriptionSuite', () => {
  it('reports the missing speech tools and what to run, and completes without measuring', async () => {
    // A PATH with neither espeak-ng nor pocketsphinx on it.
    process.env.PATH = emptyDir;
    const lines: string[] = [];

    const report = await runTranscriptionSuite({
      repoRoot: process.cwd(),
      resultsPath: false,
      log: (line) => lines.push(line),
    });

    expect(report.tools.espeakNg).toBeNull();
    expect(report.tools.pocketsphinx).toMatch(/unavailable .*install-speech-tools\.sh/);
    expect(report.recognisers).toEqual([]);
    expect(report.notices.join('\n')).toMatch(/espeak-ng is not installed.*install-speech-tools\.sh/);
    expect(lines.join('\n')).toContain('NOTICE: espeak-ng is not installed');
  });
});

describe('formatTranscriptionReport', () => {
  it('prints one row per recogniser and flags the ones that are not clinical grade', () => {
    const text = formatTranscriptionReport({
      suite: 'transcription',
      date: '2026-01-01T00:00:00.000Z',
      node: 'v20',
      commit: null,
      machine: { cores: 2, cpu: 'cpu', platform: 'linux', arch: 'x64', memoryGb: 8 },
      tools: { espeakNg: 'eSpeak NG 1.51', pocketsphinx: '/usr/bin/pocketsphinx_continuous' },
      script: { sentences: 1, words: 4, audioSeconds: 1.5 },
      recognisers: [
        {
          name: 'pocketsphinx',
          isClinicalGrade: false,
          note: 'PIPELINE DEMO',
          realTimeFactor: 0.25,
          latencyMs: { samples: 1, p50: 640, max: 640 },
          wordErrors: { referenceWords: 4, substitutions: 2, deletions: 1, insertions: 1, wer: 1 },
          examples: [{ reference: 'no chest pain today', hypothesis: 'know just pay' }],
        },
      ],
      notices: [],
    });

    expect(text).toMatch(/pocketsphinx\s+NO\s+0\.250\s+640\s+640\s+1\.00\s+2\s+1\s+1\s+4/);
    expect(text).toContain('hyp: know just pay');
  });
});
