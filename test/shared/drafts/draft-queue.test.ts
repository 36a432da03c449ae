import { describe, expect, it } from 'vitest';
import { decodeQueueToken, listDraftQueue, MAX_QUEUE_PAGES } from '../../../shared/drafts/read-draft.ts';
import type { Caller } from '../../../shared/identity/caller.ts';
import type { PanelDirectory } from '../../../shared/ports/panel-directory.ts';
import { pendingDraft } from './draft-fixtures.ts';
import { inMemoryDraftStore } from './in-memory-draft-store.ts';

const physician: Caller = {
  userId: 'dr.ames',
  username: 'dr.ames',
  roles: ['physician'],
  clientId: undefined,
  sourceIp: undefined,
};
const panel: PanelDirectory = {
  name: 'fake',
  isOnPanel: async (_, scope) => scope === 'patient-on-panel',
  list: async () => ['patient-on-panel'],
  add: async () => undefined,
  remove: async () => false,
};

/** `count` pending soap-note drafts, one minute apart from `startMinute`, for `scope`. */
async function seed(store: ReturnType<typeof inMemoryDraftStore>, prefix: string, count: number, scope: string) {
  for (let index = 0; index < count; index += 1) {
    const minute = String(index).padStart(2, '0');
    await store.create(
      pendingDraft({
        draftId: `draft-${prefix}-q-${minute}00`,
        requestedScope: scope,
        updatedAt: `2026-03-10T${prefix === 'off' ? '08' : '09'}:${minute}:00.000Z`,
      }),
    );
  }
}

describe('the review queue', () => {
  it('pages past drafts the caller may not see until the limit is filled, and says where to continue', async () => {
    const store = inMemoryDraftStore();
    await seed(store, 'off', 5, 'patient-off-panel'); // the five oldest are a colleague's
    await seed(store, 'on', 3, 'patient-on-panel');

    const first = await listDraftQueue({ status: 'pending-review', limit: 2 }, physician, {
      drafts: store,
      panels: panel,
    });
    expect(first.drafts.map((draft) => draft.draftId)).toEqual(['draft-on-q-0000', 'draft-on-q-0100']);
    expect(first.nextToken).toBeDefined();

    const after = decodeQueueToken(first.nextToken ?? '');
    expect(after).toBe('2026-03-10T09:01:00.000Z#draft-on-q-0100');
    const second = await listDraftQueue(
      { status: 'pending-review', limit: 2, ...(after ? { after } : {}) },
      physician,
      {
        drafts: store,
        panels: panel,
      },
    );
    expect(second.drafts.map((draft) => draft.draftId)).toEqual(['draft-on-q-0200']);
    expect(second.nextToken).toBeUndefined();
  });

  it('stops after a bounded number of store pages and hands back a token to go on', async () => {
    const store = inMemoryDraftStore();
    await seed(store, 'off', 2 * MAX_QUEUE_PAGES + 1, 'patient-off-panel');
    await seed(store, 'on', 1, 'patient-on-panel');
    const reads: number[] = [];
    const counting = {
      ...store,
      listByStatus: async (query: Parameters<typeof store.listByStatus>[0]) => {
        reads.push(query.limit);
        return store.listByStatus(query);
      },
    };

    const page = await listDraftQueue({ status: 'pending-review', limit: 2 }, physician, {
      drafts: counting,
      panels: panel,
    });
    expect(page.drafts).toEqual([]);
    expect(reads).toHaveLength(MAX_QUEUE_PAGES);
    const after = decodeQueueToken(page.nextToken ?? '');
    expect(after).toBeDefined();
    const rest = await listDraftQueue({ status: 'pending-review', limit: 2, ...(after ? { after } : {}) }, physician, {
      drafts: store,
      panels: panel,
    });
    expect(rest.drafts.map((draft) => draft.draftId)).toEqual(['draft-on-q-0000']);
  });

  it('refuses a token it did not issue', () => {
    expect(decodeQueueToken(Buffer.from('anything at all').toString('base64url'))).toBeUndefined();
  });
});
