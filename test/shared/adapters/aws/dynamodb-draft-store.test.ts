import { gunzipSync } from 'node:zlib';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDraftStore } from '../../../../shared/adapters/aws/dynamodb-draft-store.ts';
import { type LocalTables, startLocalTables } from '../../../support/local-tables.ts';
import { newDraft, pendingDraft } from '../../drafts/draft-fixtures.ts';

const TABLE = 'drafts';
const NOW = new Date('2026-03-10T09:00:00Z');

describe('DynamoDbDraftStore', () => {
  let tables: LocalTables;
  let store: DynamoDbDraftStore;

  beforeAll(async () => {
    tables = await startLocalTables();
    store = new DynamoDbDraftStore({
      client: tables.client,
      tableName: TABLE,
      clock: { now: () => NOW },
      retentionDays: 30,
    });
  });
  afterAll(async () => tables?.close());

  it('creates a draft once, with its expiry from the retention, and reads back what it wrote', async () => {
    const created = await store.create(newDraft({ draftId: 'draft-create-0001' }));
    expect(created.expiresAt).toBe(NOW.getTime() / 1000 + 30 * 86_400);
    expect(await store.get('draft-create-0001')).toEqual(created);
    await expect(store.create(newDraft({ draftId: 'draft-create-0001' }))).rejects.toMatchObject({
      code: 'DRAFT_EXISTS',
      status: 409,
    });
    expect(await store.get('draft-missing-0001')).toBeUndefined();
  });

  it('replaces only at the expected version (a conditional write), so one of two racing writers loses', async () => {
    const created = await store.create(newDraft({ draftId: 'draft-race-0001' }));
    const generating = { ...created, status: 'generating' as const, version: 2 };
    await store.replace(generating, 1);
    await expect(store.replace({ ...created, status: 'failed', version: 2 }, 1)).rejects.toMatchObject({
      code: 'STALE_DRAFT_VERSION',
      status: 409,
    });
    expect((await store.get('draft-race-0001'))?.status).toBe('generating');
  });

  it('stores the whole record gzipped in one binary attribute, beside the TTL and the queue keys', async () => {
    // Compression is for the 400 KB item limit, not secrecy: what keeps PHI out is that the workflow stores tokens
    // (see draft-routes.test.ts for the stored item of a real request).
    const created = await store.create(newDraft({ draftId: 'draft-raw-0001' }));
    const { Item } = await tables.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { draftId: { S: 'draft-raw-0001' } } }),
    );
    expect(Number(Item?.expiresAt?.N)).toBe(created.expiresAt);
    expect(Item?.queue?.S).toBe('requested#soap-note');
    expect(Item?.queuedAt?.S).toBe(`${created.updatedAt}#draft-raw-0001`);
    const record = Item?.record?.B;
    expect(record).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(gunzipSync(record as Uint8Array).toString('utf8'))).toEqual(created);
  });

  it('refuses a record that does not match the draft schema rather than storing it', async () => {
    const broken = { ...newDraft({ draftId: 'draft-broken-0001' }), status: 'lost' } as unknown as ReturnType<
      typeof newDraft
    >;
    await expect(store.create(broken)).rejects.toThrow();
    expect(await store.get('draft-broken-0001')).toBeUndefined();
  });

  it('lists a status queue for the given use cases only, oldest first, and drops items whose status moved on', async () => {
    await store.create({ ...pendingDraft({ draftId: 'draft-queue-0002', updatedAt: '2026-03-10T09:05:00.000Z' }) });
    await store.create({ ...pendingDraft({ draftId: 'draft-queue-0001', updatedAt: '2026-03-10T09:02:00.000Z' }) });
    await store.create({ ...pendingDraft({ draftId: 'draft-queue-0003', useCase: 'coding-review' }) });
    const approved = await store.create({ ...pendingDraft({ draftId: 'draft-queue-0004' }) });
    await store.replace({ ...approved, status: 'approved', version: 4 }, 3);

    const soap = await store.listByStatus({ status: 'pending-review', useCases: ['soap-note'], limit: 10 });
    expect(soap.map((draft) => draft.draftId)).toEqual(['draft-queue-0001', 'draft-queue-0002']);
    const coding = await store.listByStatus({ status: 'pending-review', useCases: ['coding-review'], limit: 10 });
    expect(coding.map((draft) => draft.draftId)).toEqual(['draft-queue-0003']);
    const limited = await store.listByStatus({
      status: 'pending-review',
      useCases: ['soap-note', 'coding-review'],
      limit: 2,
    });
    expect(limited).toHaveLength(2);
  });

  it('pages a queue after a position and bounds it before one', async () => {
    const at = (minute: number) => `2026-03-11T10:0${minute}:00.000Z`;
    for (const minute of [1, 2, 3]) {
      await store.create(
        pendingDraft({ draftId: `draft-page-000${minute}`, useCase: 'referral-summary', updatedAt: at(minute) }),
      );
    }
    const ids = (drafts: { draftId: string }[]) => drafts.map((draft) => draft.draftId);
    const query = { status: 'pending-review' as const, useCases: ['referral-summary' as const], limit: 10 };
    expect(ids(await store.listByStatus({ ...query, after: `${at(1)}#draft-page-0001` }))).toEqual([
      'draft-page-0002',
      'draft-page-0003',
    ]);
    expect(ids(await store.listByStatus({ ...query, before: `${at(3)}#` }))).toEqual([
      'draft-page-0001',
      'draft-page-0002',
    ]);
    expect(
      ids(
        await store.listByStatus({ ...query, after: `${at(1)}#draft-page-0001`, before: `${at(3)}#draft-page-0003` }),
      ),
    ).toEqual(['draft-page-0002']);
  });

  it('cannot create drafts without a retention period', async () => {
    const reader = new DynamoDbDraftStore({ client: tables.client, tableName: TABLE, clock: { now: () => NOW } });
    await expect(reader.create(newDraft({ draftId: 'draft-noret-0001' }))).rejects.toThrow(/retention/);
  });
});
