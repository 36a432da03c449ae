import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../infra/cli/main.ts';
import { startLocalServices } from '../../../infra/local/local-services.ts';
import { topology } from '../../../infra/topology/index.ts';
import type { Ports } from '../../../shared/runtime/ports.ts';

const rootDir = resolve(import.meta.dirname, '../../..');
const today = new Date().toISOString().slice(0, 10);

describe('cag audit', () => {
  let dir: string;
  let stdout: string[];

  const run = async (...args: string[]) => {
    stdout = [];
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      return await main(['node', 'cag', ...args]);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  };
  const findings = () => (JSON.parse(stdout.join('')) as { findings: { kind: string; seq: number }[] }).findings;

  /** Opens the local data folder directly, as someone with database access (not the API) would. */
  const withLocalData = async (work: (ports: Ports) => Promise<void>) => {
    const services = await startLocalServices({ topology, rootDir, dataDir: dir });
    try {
      await work(services.ports);
    } finally {
      await services.close();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cag-audit-cli-'));
    const lines = Array.from({ length: 6 }, (_, n) =>
      JSON.stringify({ id: `n${n}`, text: `Patient Ada Byron, MRN 55${n}1234.` }),
    );
    await writeFile(join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
    expect(
      await run('phi', 'deidentify', '--data', dir, '--in', join(dir, 'in.jsonl'), '--out', join(dir, 'out.jsonl')),
    ).toBe(0);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("records the CLI's own vault writes, and verifies the intact trail with exit code 0", async () => {
    const code = await run('audit', 'verify', '--data', dir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout.join(''))).toMatchObject({ records: 6, findings: [] });
  });

  it('exports a day with anchors, then detects a truncated chain against that export', async () => {
    const exportFile = join(dir, 'export.jsonl');
    expect(await run('audit', 'export', '--day', today, '--data', dir, '--out', exportFile)).toBe(0);
    const lines = (await readFile(exportFile, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(7);
    const anchors = (JSON.parse(lines.at(-1) ?? '{}') as { anchors: { pk: string; seq: number }[] }).anchors;

    // Delete the newest record of one chain: the chain alone still looks intact, its anchor does not.
    const newest = anchors[0];
    if (!newest) throw new Error('the export has no anchors');
    await withLocalData(async (ports) => {
      await ports.tables.client.send(
        new DeleteItemCommand({ TableName: 'audit', Key: { pk: { S: newest.pk }, seq: { N: String(newest.seq) } } }),
      );
    });
    expect(await run('audit', 'verify', '--data', dir)).toBe(0);
    expect(await run('audit', 'verify', '--data', dir, '--anchors', exportFile)).toBe(1);
    expect(findings().map((finding) => finding.kind)).toContain('truncated');
  });

  it('detects a modified record with exit code 1', async () => {
    await withLocalData(async (ports) => {
      const [pk = ''] = await ports.auditStore.listChains();
      await ports.tables.client.send(
        new UpdateItemCommand({
          TableName: 'audit',
          Key: { pk: { S: pk }, seq: { N: '1' } },
          UpdateExpression: 'SET #action = :action',
          ExpressionAttributeNames: { '#action': 'action' },
          ExpressionAttributeValues: { ':action': { S: 'phi.scan' } },
        }),
      );
    });
    expect(await run('audit', 'verify', '--data', dir)).toBe(1);
    expect(findings()).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'modified', seq: 1 })]));
  });

  it('refuses a malformed day', async () => {
    expect(await run('audit', 'export', '--day', '26/11/2026', '--data', dir)).toBe(2);
  });
});
