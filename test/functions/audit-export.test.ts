import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../../infra/local/dev-identity.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/local-runtime.ts';
import { topology } from '../../infra/topology/index.ts';
import { readAuditDayExport } from '../../shared/audit/export-audit-day.ts';

describe('the daily audit export', () => {
  let runtime: LocalRuntime;
  let dataDir: string;
  let now = new Date('2026-03-10T14:00:00Z');

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cag-export-'));
    runtime = await startLocalRuntime({
      topology,
      rootDir: resolve(import.meta.dirname, '../..'),
      dataDir,
      memory: true,
      port: 0,
      clock: { now: () => now },
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("writes the previous day's records and chain anchors to the archive as read-only files", async () => {
    const token = await signDevToken(runtime.signingKey, { userId: 'ma.ortiz', roles: ['medical-assistant'] });
    for (let n = 0; n < 3; n++) {
      await fetch(`${runtime.url}/v1/phi/scan`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ text: `Call 555-010${n}` }),
      });
    }
    await runtime.bus.idle();

    now = new Date('2026-03-11T00:15:00Z');
    const response = await fetch(`${runtime.url}/__local/schedules/audit-daily-export`, { method: 'POST' });
    expect(response.status).toBe(202);

    const archive = join(dataDir, 'audit-archive');
    const files = (await readdir(archive)).sort();
    expect(files).toHaveLength(2);
    const [olderDay, previousDay] = files;
    expect(olderDay).toMatch(/^2026-03-09\.export-/);
    expect(previousDay).toMatch(/^2026-03-10\.export-/);
    const exported = readAuditDayExport(await readFile(join(archive, previousDay ?? ''), 'utf8'));
    expect(exported.records).toHaveLength(3);
    expect(exported.anchors.length).toBeGreaterThan(0);
    expect((await stat(join(archive, previousDay ?? ''))).mode & 0o222).toBe(0);
  });
});
