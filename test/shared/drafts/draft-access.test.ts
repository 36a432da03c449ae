import { describe, expect, it } from 'vitest';
import { USE_CASE_ROLES } from '../../../shared/ai/use-cases.ts';
import { DRAFT_USE_CASE_NAMES } from '../../../shared/drafts/draft.ts';
import { accessTo, coversCategories, reviewableUseCases } from '../../../shared/drafts/draft-access.ts';
import { DRAFT_USE_CASES } from '../../../shared/drafts/use-cases/draft-use-cases.ts';
import type { Caller } from '../../../shared/identity/caller.ts';
import { isPermitted } from '../../../shared/identity/permissions.ts';
import type { Role } from '../../../shared/identity/roles.ts';
import type { PanelDirectory } from '../../../shared/ports/panel-directory.ts';
import { pendingDraft } from './draft-fixtures.ts';

const caller = (userId: string, roles: Role[]): Caller => ({
  userId,
  username: userId,
  roles,
  clientId: undefined,
  sourceIp: undefined,
});
const panelOf = (scopes: string[]): PanelDirectory => ({
  name: 'fake',
  isOnPanel: async (_, scope) => scopes.includes(scope),
  list: async () => scopes,
  add: async () => undefined,
  remove: async () => false,
});

describe('draft access', () => {
  it.each(DRAFT_USE_CASE_NAMES)('lets the edge admit every role %s needs (request, read, review)', (useCase) => {
    for (const role of USE_CASE_ROLES[useCase]) {
      expect(isPermitted('draft.request', [role]), role).toBe(true);
      expect(isPermitted('draft.read', [role]), role).toBe(true);
    }
    for (const role of DRAFT_USE_CASES[useCase].reviewerRoles)
      expect(isPermitted('draft.review', [role]), role).toBe(true);
  });

  it('gives coding reviews to billing only', () => {
    expect(reviewableUseCases(caller('coder', ['billing']))).toEqual(['coding-review']);
    expect(reviewableUseCases(caller('rn', ['nurse']))).not.toContain('coding-review');
  });

  it('holds a physician reviewer to the panel, and lets the requester in as requester', async () => {
    const draft = pendingDraft();
    const accessOf = async (...args: Parameters<typeof accessTo>) => (await accessTo(...args))?.access;
    expect(await accessOf(draft, caller('dr.other', ['physician']), panelOf([]))).toBeUndefined();
    expect(await accessOf(draft, caller('dr.other', ['physician']), panelOf(['patient-scope-0001']))).toBe('reviewer');
    expect(await accessOf(draft, caller('rn.kim', ['nurse']), panelOf([]))).toBe('reviewer');
    expect(await accessOf(draft, caller('coder', ['billing']), panelOf([]))).toBeUndefined();
    const asked = pendingDraft({
      requestedBy: { userId: 'ma.lee', roles: ['medical-assistant'] },
      useCase: 'record-summary',
    });
    expect(await accessOf(asked, caller('ma.lee', ['medical-assistant']), panelOf([]))).toBe('requester');
    expect(await accessOf(asked, caller('ma.other', ['medical-assistant']), panelOf([]))).toBeUndefined();
  });

  it('counts only the unrestricted roles of a dual-role caller for an off-panel draft', async () => {
    const coding = pendingDraft({ useCase: 'coding-review' });
    const dual = caller('dr.coder', ['physician', 'billing']);

    expect(await accessTo(coding, dual, panelOf([]))).toEqual({ access: 'reviewer', roles: ['billing'] });
    expect(await accessTo(coding, dual, panelOf(['patient-scope-0001']))).toEqual({
      access: 'reviewer',
      roles: ['physician', 'billing'],
    });
    // A SOAP note has no billing reviewer: off the panel the dual-role caller does not see it at all.
    expect(await accessTo(pendingDraft(), dual, panelOf([]))).toBeUndefined();
  });

  it("covers a draft only when the caller's roles may see every source category", () => {
    const withBilling = pendingDraft();
    withBilling.prepared.sources.push({ sourceId: 'Claim/1', category: 'billing', text: 'Claim for [NAME_AB12CD].' });
    expect(coversCategories(caller('rn.kim', ['nurse']), pendingDraft())).toBe(true);
    expect(coversCategories(caller('rn.kim', ['nurse']), withBilling)).toBe(false);
    expect(coversCategories(caller('dr.ames', ['physician']), withBilling)).toBe(true);
    expect(coversCategories(caller('coder', ['billing']), withBilling)).toBe(true);
  });
});
