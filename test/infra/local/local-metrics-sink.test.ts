import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS_FILE_NAME } from '../../../infra/local/local-metrics-sink.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../infra/local/local-runtime.ts';
import { topology } from '../../../infra/topology/index.ts';
import { summarizeEmf } from '../../../shared/operations/emf-summary.ts';

describe('the local runtime’s metrics file', () => {
  let dataDir: string;
  let runtime: LocalRuntime;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cag-metrics-file-'));
    runtime = await startLocalRuntime({
      topology,
      rootDir: resolve(import.meta.dirname, '../../..'),
      dataDir,
      port: 0,
      seedKnowledge: false,
    });
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('appends one EMF document per invocation to <data dir>/metrics.jsonl, closed when the runtime stops', async () => {
    for (let n = 0; n < 3; n += 1) expect((await fetch(`${runtime.url}/v1/health`)).status).toBe(200);
    await runtime.stop();

    const lines = (await readFile(join(dataDir, METRICS_FILE_NAME), 'utf8')).trim().split('\n');
    const health = summarizeEmf(lines).invocations.find((row) => row.key === 'GET /v1/health');
    expect(health?.requests).toBe(3);
  });
});
