import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/identity/caller.ts';
import {
  assertPanelAccess,
  CATEGORY_ACCESS,
  categoriesFor,
  rolesForPatient,
  SPECIALLY_PROTECTED,
} from '../../../shared/identity/minimum-necessary.ts';
import type { PanelDirectory } from '../../../shared/ports/panel-directory.ts';

const panel = (members: string[]): PanelDirectory => ({
  name: 'fake',
  isOnPanel: async (_, scope) => members.includes(scope),
  list: async () => members,
  add: async () => undefined,
  remove: async () => false,
});
const caller = (...roles: Caller['roles']): Caller => ({
  userId: 'u-1',
  username: 'u-1',
  roles,
  clientId: undefined,
  sourceIp: undefined,
});

describe('minimum necessary', () => {
  it('gives no role the specially protected categories by default', () => {
    for (const access of Object.values(CATEGORY_ACCESS)) {
      for (const category of SPECIALLY_PROTECTED) expect(access.categories).not.toContain(category);
    }
  });

  it('unions the categories of several roles', () => {
    expect([...categoriesFor(['front-desk', 'medical-assistant'])].sort()).toEqual([
      'billing',
      'clinical',
      'demographics',
      'labs',
      'medications',
      'reference',
    ]);
    expect([...categoriesFor(['admin'])]).toEqual(['reference']);
  });

  it('limits a physician to the patients on their panel', async () => {
    await expect(
      assertPanelAccess(caller('physician'), 'phi.reidentify', 'scope-on-panel', panel(['scope-on-panel'])),
    ).resolves.toBeUndefined();
    await expect(
      assertPanelAccess(caller('physician'), 'phi.reidentify', 'scope-elsewhere', panel([])),
    ).rejects.toMatchObject({
      code: 'NOT_ON_PANEL',
      status: 403,
    });
  });

  it('does not limit a caller who also acts through an unrestricted role', async () => {
    await expect(
      assertPanelAccess(caller('physician', 'nurse'), 'phi.reidentify', 'scope-x', panel([])),
    ).resolves.toBeUndefined();
    await expect(
      assertPanelAccess(caller('privacy-officer'), 'phi.reidentify', 'scope-x', panel([])),
    ).resolves.toBeUndefined();
  });

  it('lets a caller act for an off-panel patient only through their unrestricted roles', async () => {
    const dual = caller('physician', 'billing');
    expect(await rolesForPatient(dual, 'ai.invoke', 'scope-on-panel', panel(['scope-on-panel']))).toEqual([
      'physician',
      'billing',
    ]);
    expect(await rolesForPatient(dual, 'ai.invoke', 'scope-elsewhere', panel([]))).toEqual(['billing']);
    // Only roles permitted the action count: billing may not re-identify, so nothing is left off the panel.
    await expect(rolesForPatient(dual, 'phi.reidentify', 'scope-elsewhere', panel([]))).rejects.toMatchObject({
      code: 'NOT_ON_PANEL',
    });
  });
});
