import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../infra/cli/main.ts';
import { findTokens } from '../../../shared/phi/vault-token.ts';

const NOTE = 'Pt Maria Gonzalez, DOB 04/12/1958, phone 555-867-5309, SSN 078-05-1120.';

describe('cag phi', () => {
  let dir: string;
  let stderr: string[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cag-phi-'));
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  const run = (...args: string[]) => main(['node', 'cag', 'phi', ...args]);
  const readJsonl = async (path: string) =>
    (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('scan writes entity offsets per line, never the values', async () => {
    await writeFile(join(dir, 'in.jsonl'), `${JSON.stringify({ id: 'n1', text: NOTE })}\n`);
    const code = await run('scan', '--in', join(dir, 'in.jsonl'), '--out', join(dir, 'out.jsonl'));
    const [record] = await readJsonl(join(dir, 'out.jsonl'));
    const entities = record?.entities as { begin: number; end: number; type: string }[];

    expect(code).toBe(0);
    expect(record?.id).toBe('n1');
    expect(entities.map((entity) => NOTE.slice(entity.begin, entity.end))).toEqual(
      expect.arrayContaining(['04/12/1958', '555-867-5309', '078-05-1120']),
    );
    expect(JSON.stringify(record)).not.toContain('Gonzalez');
  });

  it('deidentify writes tokenized text with one scope per line, and reports bad lines without stopping', async () => {
    const lines = [JSON.stringify({ id: 'n1', text: NOTE }), '{not json', JSON.stringify({ id: 'n3', text: 7 })];
    await writeFile(join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
    const code = await run(
      'deidentify',
      '--memory',
      '--data',
      dir,
      '--in',
      join(dir, 'in.jsonl'),
      '--out',
      join(dir, 'out.jsonl'),
    );
    const [ok, badJson, badType] = await readJsonl(join(dir, 'out.jsonl'));

    expect(code).toBe(1);
    expect(ok?.patientScope).toMatch(/^scope-/);
    expect(findTokens(String(ok?.text)).length).toBeGreaterThanOrEqual(3);
    expect(String(ok?.text)).not.toContain('078-05-1120');
    expect(badJson).toEqual({ line: 2, error: { code: 'INVALID_JSON' } });
    expect(badType).toMatchObject({ id: 'n3', error: { code: 'VALIDATION_FAILED' } });
  });

  it('shows progress on stderr for inputs over 1 MB', async () => {
    const line = JSON.stringify({ id: 'big', text: `${NOTE} `.repeat(200) });
    await writeFile(join(dir, 'in.jsonl'), `${Array.from({ length: 80 }, () => line).join('\n')}\n`);
    const code = await run('scan', '--in', join(dir, 'in.jsonl'), '--out', join(dir, 'out.jsonl'));

    expect(code).toBe(0);
    expect(stderr.join('')).toMatch(/100%/);
    expect(await readJsonl(join(dir, 'out.jsonl'))).toHaveLength(80);
  });

  it('refuses a scope that is not an opaque id', async () => {
    await writeFile(join(dir, 'in.jsonl'), `${JSON.stringify({ id: 'n1', text: NOTE })}\n`);
    const code = await run(
      'deidentify',
      '--memory',
      '--data',
      dir,
      '--scope',
      'MRN 123',
      '--in',
      join(dir, 'in.jsonl'),
    );
    expect(code).toBe(1);
    expect(stderr.join('')).toContain('--scope must be an opaque id');
  });
});
