import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../infra/cli/main.ts';
import { signDevToken } from '../../../infra/local/dev-identity.ts';
import { demoTranscribeResponder } from '../../../infra/local/transcribe-streaming-demo-script.ts';
import {
  startTranscribeStreamingFake,
  type TranscribeStreamingFake,
} from '../../../infra/local/transcribe-streaming-fake.ts';
import { LOCAL_REGION } from '../../../shared/runtime/local-ports.ts';
import { buildLocalTranscriber } from '../../../shared/runtime/local-transcriber.ts';
import { usePorts } from '../../../shared/runtime/ports.ts';
import { synthesizeEncounterWav } from '../../shared/transcription/encounter-audio.ts';
import { type RunningSystem, startRunningSystem } from '../../support/running-system.ts';

describe('cag encounter stream', () => {
  let system: RunningSystem;
  let fake: TranscribeStreamingFake;
  let release: () => void;
  let dir: string;
  let token: string;

  beforeAll(async () => {
    system = await startRunningSystem();
    fake = await startTranscribeStreamingFake({ script: demoTranscribeResponder });
    const { transcriber } = buildLocalTranscriber({
      choice: 'transcribe-fake',
      transcribeEndpoint: fake.endpoint,
      region: LOCAL_REGION,
    });
    release = usePorts({ ...system.runtime.ports, transcriber });
    dir = await mkdtemp(join(tmpdir(), 'cag-encounter-cli-'));
    // A nurse: clinical, and not limited to a panel.
    token = await signDevToken(system.runtime.signingKey, { userId: 'nurse.cli', roles: ['nurse'] });
  });
  afterAll(async () => {
    release?.();
    await system?.stop();
    await fake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    try {
      const code = await main(['node', 'cag', 'encounter', 'stream', ...args]);
      return { code, out: out.join(''), err: err.join('') };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  };

  it('opens an encounter, prints the transcript as it arrives in segment order, and ends it', async () => {
    const file = join(dir, 'visit.wav');
    await writeFile(file, synthesizeEncounterWav([600, 1100]));
    const result = await run(
      file,
      '--url',
      system.runtime.url,
      '--token',
      token,
      '--patient-scope',
      'patient-scope-cli-1',
      '--speed',
      '0',
    );

    expect(result.code).toBe(0);
    const lines = result.out.split('\n');
    const encounterId = /encounter (\S+) opened/.exec(result.out)?.[1];
    expect(encounterId).toBeDefined();
    const finals = lines.filter((line) => /^\[\d\d:\d\d\.\d-\d\d:\d\d\.\d\] /.test(line));
    expect(finals).toHaveLength(2);
    expect(finals[0]).toMatch(/^\[00:00\.7-/);
    expect(result.out).toContain(`encounter ${encounterId} ended: 2 final segments stored`);
    const read = await system.call('nurse', 'GET', `/v1/encounters/${encounterId}`);
    expect(read.body.status).toBe('ended');
  });

  it('refuses a bad speed as a usage error and a missing patient scope as a failure', async () => {
    const file = join(dir, 'short.wav');
    await writeFile(file, synthesizeEncounterWav([400]));
    expect((await run(file, '--speed', '-1')).code).toBe(2);
    const missing = await run(file, '--url', system.runtime.url, '--token', token, '--speed', '0');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('--patient-scope');
  });
});
