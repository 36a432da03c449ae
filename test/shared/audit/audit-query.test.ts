import { describe, expect, it } from 'vitest';
import { queryAudit } from '../../../shared/audit/audit-query.ts';
import type {
  AuditCursor,
  AuditFilter,
  AuditPage,
  AuditPageRequest,
  AuditStore,
} from '../../../shared/ports/audit-store.ts';
import { auditEntry, buildChain } from './audit-fixtures.ts';

/** A store that answers every query with one scripted page and remembers what it was asked. */
function scriptedStore(page: AuditPage) {
  const calls: { filter: AuditFilter; page: AuditPageRequest }[] = [];
  const store = {
    name: 'ScriptedStore',
    append: () => Promise.reject(new Error('not used')),
    query: async (filter: AuditFilter, request: AuditPageRequest) => {
      calls.push({ filter, page: request });
      return page;
    },
    listChains: async () => [],
    readChain: async () => [],
  } satisfies AuditStore;
  return { store, calls };
}

const from = '2026-03-01T00:00:00Z';
const to = '2026-03-02T00:00:00Z';
const chainsCursor: AuditCursor = { kind: 'chains', day: '2026-03-01', below: Array.from({ length: 16 }, () => 3) };
const indexCursor: AuditCursor = {
  kind: 'index',
  pk: 'chain#2026-03-01#04',
  seq: 2,
  atId: '2026-03-01T10:00:00.000Z#e',
};

describe('queryAudit', () => {
  it('passes a normalised filter and the limit to the store, and returns its records', async () => {
    const records = buildChain('chain#2026-03-01#00', [auditEntry()]);
    const { store, calls } = scriptedStore({ records, unreadable: 0 });

    const result = await queryAudit({ userId: 'user-a', outcome: 'denied', from, to, limit: 20 }, { store });

    expect(result).toEqual({ records, unreadable: 0 });
    expect(calls).toEqual([
      {
        filter: {
          userId: 'user-a',
          outcome: 'denied',
          from: '2026-03-01T00:00:00.000Z',
          to: '2026-03-02T00:00:00.000Z',
        },
        page: { limit: 20 },
      },
    ]);
  });

  it('hands the store back the cursor it returned, through an opaque token', async () => {
    const { store, calls } = scriptedStore({ records: [], unreadable: 0, cursor: chainsCursor });

    const first = await queryAudit({ action: 'phi.scan', from, to }, { store });
    await queryAudit({ action: 'phi.scan', from, to, nextToken: first.nextToken }, { store });

    expect(first.nextToken).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(calls[0]?.page).toEqual({ limit: 50 });
    expect(calls[1]?.page).toEqual({ limit: 50, cursor: chainsCursor });
  });

  it('refuses a limit outside 1..200 and fields it does not know', async () => {
    const { store, calls } = scriptedStore({ records: [], unreadable: 0 });
    for (const request of [
      { from, to, limit: 0 },
      { from, to, limit: 201 },
      { from, to, limit: 1.5 },
      { from, to, patient: 'x' },
      { from: 'yesterday', to },
    ]) {
      await expect(queryAudit(request, { store })).rejects.toMatchObject({ code: 'INVALID_AUDIT_QUERY' });
    }
    expect(calls).toHaveLength(0);
  });

  it('refuses an empty or reversed range and one longer than 31 days', async () => {
    const { store } = scriptedStore({ records: [], unreadable: 0 });
    const refused = (range: { from: string; to: string }) =>
      expect(queryAudit(range, { store })).rejects.toMatchObject({ code: 'INVALID_TIME_RANGE' });

    await refused({ from, to: from });
    await refused({ from: to, to: from });
    await refused({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00.001Z' });
    await expect(queryAudit({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }, { store })).resolves.toEqual({
      records: [],
      unreadable: 0,
    });
  });

  it('refuses a token whose cursor does not fit the query, without asking the store', async () => {
    const token = (cursor: AuditCursor, filter: Parameters<typeof queryAudit>[0]) => {
      const { store } = scriptedStore({ records: [], unreadable: 0, cursor });
      return queryAudit(filter, { store }).then((result) => result.nextToken);
    };
    const { store, calls } = scriptedStore({ records: [], unreadable: 0 });
    const refused = async (request: Parameters<typeof queryAudit>[0]) =>
      expect(queryAudit(request, { store })).rejects.toMatchObject({ code: 'INVALID_PAGE_TOKEN' });

    // A chains cursor for an indexed query, and an index cursor for a chain walk, even with a matching fingerprint.
    await refused({ userId: 'user-a', from, to, nextToken: await token(chainsCursor, { userId: 'user-a', from, to }) });
    await refused({ from, to, nextToken: await token(indexCursor, { from, to }) });
    // Positions outside the range.
    const lateIndex = { ...indexCursor, atId: '2026-03-05T00:00:00.000Z#e' };
    await refused({ userId: 'user-a', from, to, nextToken: await token(lateIndex, { userId: 'user-a', from, to }) });
    const otherDay = { ...chainsCursor, day: '2026-03-05' };
    await refused({ from, to, nextToken: await token(otherDay, { from, to }) });
    // A token of the same query with a different action.
    await refused({ action: 'phi.scan', from, to, nextToken: await token(chainsCursor, { from, to }) });
    await refused({ from, to, nextToken: '' });
    expect(calls).toHaveLength(0);
  });
});
