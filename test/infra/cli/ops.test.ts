import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { opsCommand } from '../../../infra/cli/commands/ops.ts';

const line = (route: string, latency: number) =>
  JSON.stringify({
    _aws: {
      Timestamp: 1_764_147_600_000,
      CloudWatchMetrics: [
        {
          Namespace: 'ClinicalAiGateway',
          Dimensions: [['service', 'route'], ['service']],
          Metrics: [
            { Name: 'Requests', Unit: 'Count' },
            { Name: 'Latency', Unit: 'Milliseconds' },
          ],
        },
      ],
    },
    service: 'clinical-ai-gateway',
    route,
    Requests: 1,
    Latency: latency,
  });

describe('cag ops summary', () => {
  let dir: string;
  let stdout: string;

  const run = async (...args: string[]) => {
    stdout = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    try {
      await opsCommand()
        .exitOverride()
        .parseAsync(['node', 'ops', ...args]);
    } finally {
      out.mockRestore();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cag-ops-'));
    await writeFile(
      join(dir, 'metrics.jsonl'),
      `${[line('POST /v1/deidentify', 40), line('POST /v1/deidentify', 60)].join('\n')}\n`,
    );
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('summarises <data>/metrics.jsonl by route with latency percentiles and a cost line', async () => {
    await run('summary', '--data', dir);
    expect(stdout).toMatch(/POST \/v1\/deidentify\s+2\s+0\s+0\s+40\.0\s+60\.0\s+60\.0/);
    expect(stdout).toContain('Estimated AWS cost of this usage');
  });

  it('prints JSON with --json, from any --file', async () => {
    await run('summary', '--file', join(dir, 'metrics.jsonl'), '--json');
    expect(JSON.parse(stdout)).toMatchObject({
      documents: 2,
      invocations: [{ key: 'POST /v1/deidentify', requests: 2 }],
    });
  });

  it('explains how to produce the file when there is none', async () => {
    await expect(run('summary', '--data', join(dir, 'missing'))).rejects.toThrow(/npm start/);
  });
});
