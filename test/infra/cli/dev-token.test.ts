import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../infra/cli/main.ts';
import { loadDevSigningKey, verifyDevToken } from '../../../infra/local/dev-identity.ts';

describe('cag dev-token', () => {
  let dataDir: string;
  let written: string[];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cag-cli-'));
    written = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints a token the local runtime verifies into Cognito-shaped claims', async () => {
    const code = await main(['node', 'cag', 'dev-token', '--role', 'nurse', '--user', 'rn.kim', '--data', dataDir]);

    expect(code).toBe(0);
    const claims = await verifyDevToken(await loadDevSigningKey(dataDir), written.join('').trim());
    expect(claims).toMatchObject({ sub: 'local-rn.kim', 'cognito:username': 'rn.kim', 'cognito:groups': 'nurse' });
  });

  it('keeps the signing key private to the owner', async () => {
    await main(['node', 'cag', 'dev-token', '--role', 'admin', '--user', 'ops', '--data', dataDir]);
    expect((await stat(join(dataDir, 'dev-jwt.key'))).mode & 0o077).toBe(0);
  });

  it('prints an integration token the local gateway turns into that IAM principal', async () => {
    const code = await main(['node', 'cag', 'dev-token', '--integration', 'local-ehr', '--data', dataDir]);

    expect(code).toBe(0);
    const claims = await verifyDevToken(await loadDevSigningKey(dataDir), written.join('').trim());
    expect(claims).toMatchObject({ integration: 'local-ehr', sub: 'integration-local-ehr' });
    expect(claims).not.toHaveProperty('cognito:groups');
  });

  it.each([
    [['--integration', 'unknown-ehr']],
    [['--integration', 'local-ehr', '--role', 'nurse', '--user', 'x']],
    [['--role', 'superuser', '--user', 'x']],
    [['--role', 'nurse', '--user', 'has space']],
    [['--user', 'x']],
    [['--role', 'nurse', '--user', 'x', '--ttl', '100']],
  ])('refuses bad arguments %j with exit code 2 and prints no token', async (args) => {
    const code = await main(['node', 'cag', 'dev-token', ...args, '--data', dataDir]);
    expect(code).toBe(2);
    expect(written.join('')).toBe('');
  });
});
