import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderRolesDoc } from '../../../infra/docs/roles-doc.ts';
import { PERMISSIONS } from '../../../shared/identity/permissions.ts';

describe('docs/roles.md', () => {
  it('is generated from the permission table (run `npm run docs:roles` after changing it)', async () => {
    const committed = await readFile(resolve(import.meta.dirname, '../../../docs/roles.md'), 'utf8');
    expect(committed).toBe(renderRolesDoc());
  });

  it('has one row per action', () => {
    const rows = renderRolesDoc()
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(Object.keys(PERMISSIONS).length);
  });
});
