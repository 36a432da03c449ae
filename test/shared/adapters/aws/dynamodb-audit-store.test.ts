import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditStore } from '../../../../shared/adapters/aws/dynamodb-audit-store.ts';
import {
  type AuditRecord,
  buildAuditRecord,
  chainPartition,
  expiryOf,
  genesisHash,
  recordHash,
  sha256Hex,
} from '../../../../shared/audit/audit-chain.ts';
import type { AuditEntry } from '../../../../shared/audit/audit-entry.ts';
import { queryAudit } from '../../../../shared/audit/audit-query.ts';
import { exportAuditDay } from '../../../../shared/audit/export-audit-day.ts';
import { verifyAuditChains } from '../../../../shared/audit/verify-audit-chain.ts';
import { ValidationFailed } from '../../../../shared/errors/domain-errors.ts';
import { type LocalTables, startLocalTables } from '../../../support/local-tables.ts';
import { auditEntry, eventIdsInShard } from '../../audit/audit-fixtures.ts';

const TABLE = 'audit';

describe('DynamoDbAuditStore', () => {
  let tables: LocalTables;
  let store: DynamoDbAuditStore;

  const newStore = () => new DynamoDbAuditStore({ client: tables.client, tableName: TABLE, retentionYears: 6 });

  beforeAll(async () => {
    tables = await startLocalTables();
    store = newStore();
  });
  afterAll(async () => tables?.close());

  const at = (day: string, second: number) =>
    new Date(Date.parse(`${day}T00:00:00.000Z`) + second * 1000).toISOString();
  const itemKey = (pk: string, seq: number) => ({ pk: { S: pk }, seq: { N: String(seq) } });
  const getItem = async (pk: string, seq: number) =>
    (await tables.client.send(new GetItemCommand({ TableName: TABLE, Key: itemKey(pk, seq) }))).Item ?? {};
  const putItem = (item: Record<string, AttributeValue>) =>
    tables.client.send(new PutItemCommand({ TableName: TABLE, Item: item }));

  /** Appends `count` entries of `day` that all land in chain `shard`, in order. */
  async function seedChain(day: string, shard: string, count: number): Promise<string> {
    for (const [index, eventId] of eventIdsInShard(shard, count, day).entries()) {
      await store.append(auditEntry({ at: at(day, index) }), eventId);
    }
    return chainPartition(day, shard);
  }

  describe('append', () => {
    it('numbers each chain 1..n from the genesis hash, and the chains verify', async () => {
      const day = '2026-01-01';
      const results = [];
      for (let index = 0; index < 40; index++)
        results.push(await store.append(auditEntry({ at: at(day, index) }), randomUUID()));

      for (const pk of new Set(results.map((result) => result.pk))) {
        const chain = await store.readChain(pk);
        expect(chain.map((record) => record.seq)).toEqual(chain.map((_, index) => index + 1));
        expect(chain[0]?.prevHash).toBe(genesisHash(pk));
      }
      expect(results.every((result) => result.appended)).toBe(true);
      expect(await verifyAuditChains({ store }, { day })).toMatchObject({ ok: true, records: 40 });
    });

    it('stores the index attributes and the day-based TTL', async () => {
      const entry = auditEntry({ at: '2026-01-02T08:30:00Z' });
      const { pk, seq } = await store.append(entry, 'evt-attributes');
      const item = await getItem(pk, seq);

      expect(item.userId?.S).toBe(entry.actor.userId);
      expect(item.patientScope?.S).toBe(entry.resource.patientScope);
      expect(item.atId?.S).toBe('2026-01-02T08:30:00.000Z#evt-attributes');
      expect(item.expiresAt?.N).toBe(String(expiryOf(entry.at, 6)));
      expect(item.actor?.M?.userId?.S).toBe(entry.actor.userId);
    });

    it('records an event appended twice, one after the other or at once, only once', async () => {
      const entry = auditEntry({ at: '2026-01-03T09:00:00Z' });
      const first = await store.append(entry, 'evt-twice');
      const again = await store.append(entry, 'evt-twice');
      // Separate instances, as separate Lambda invocations would be: their appends race in DynamoDB.
      const racing = await Promise.all(Array.from({ length: 5 }, () => newStore().append(entry, 'evt-racing')));

      expect(again).toEqual({ ...first, appended: false });
      expect(racing.filter((result) => result.appended)).toHaveLength(1);
      const events = (await store.readChain(first.pk)).map((record) => record.eventId);
      expect(events.filter((eventId) => eventId === 'evt-twice')).toHaveLength(1);
      const racingChain = await store.readChain(racing[0]?.pk ?? '');
      expect(racingChain.filter((record) => record.eventId === 'evt-racing')).toHaveLength(1);
    });

    it('catches a redelivery whose marker was never written (a crash after the chain write)', async () => {
      const entry = auditEntry({ at: '2026-01-04T09:00:00Z' });
      const first = await store.append(entry, 'evt-crash');
      await tables.client.send(new DeleteItemCommand({ TableName: TABLE, Key: itemKey('event#evt-crash', 0) }));

      expect(await store.append(entry, 'evt-crash')).toEqual({ ...first, appended: false });
      expect(await store.readChain(first.pk)).toHaveLength(1);
    });

    it('lands 500 concurrent appends from four writers exactly once each, in chains that verify', async () => {
      const day = '2026-01-05';
      const eventIds = Array.from({ length: 500 }, () => randomUUID());
      const writers = [newStore(), newStore(), newStore(), newStore()];

      const results = await Promise.all(
        eventIds.map((eventId, index) =>
          writers[index % writers.length]?.append(auditEntry({ at: at(day, index * 17) }), eventId),
        ),
      );

      expect(results.every((result) => result?.appended)).toBe(true);
      const stored = [];
      for (const pk of new Set(results.map((result) => result?.pk ?? ''))) stored.push(...(await store.readChain(pk)));
      expect(stored.map((record) => record.eventId).sort()).toEqual([...eventIds].sort());
      expect(await verifyAuditChains({ store }, { day })).toMatchObject({ ok: true, records: 500 });
    });

    it('refuses malformed event ids and entries outside the schema', async () => {
      await expect(store.append(auditEntry(), 'not an id')).rejects.toThrow(ValidationFailed);
      await expect(store.append({ ...auditEntry(), note: 'x' } as AuditEntry, 'evt-bad')).rejects.toThrow(
        ValidationFailed,
      );
    });
  });

  describe('query', () => {
    const days = ['2026-04-01', '2026-04-02', '2026-04-03'];
    const users = ['user-a', 'user-b', 'user-c'];
    const scopes = ['scope-11111111', 'scope-22222222', undefined];
    const actions = ['phi.deidentify', 'phi.reidentify'];
    const outcomes = ['allowed', 'denied', 'failed'] as const;
    const from = '2026-04-01T00:00:00.000Z';
    const to = '2026-04-04T00:00:00.000Z';
    const seeded: { eventId: string; entry: AuditEntry }[] = [];

    beforeAll(async () => {
      for (let index = 0; index < 150; index++) {
        const patientScope = scopes[index % scopes.length];
        const entry = auditEntry({
          action: actions[index % actions.length],
          outcome: outcomes[index % outcomes.length],
          actor: { userId: users[index % users.length] ?? '', roles: ['nurse'] },
          resource: patientScope ? { patientScope } : {},
          at: at(days[index % days.length] ?? '', 60 * index),
        });
        seeded.push({ eventId: `q-${index}`, entry });
      }
      await Promise.all(seeded.map(({ entry, eventId }) => store.append(entry, eventId)));
    });

    const expectedIds = (match: (entry: AuditEntry) => boolean) =>
      seeded
        .filter(({ entry }) => match(entry))
        .map(({ eventId }) => eventId)
        .sort();

    async function allPages(request: Parameters<typeof queryAudit>[0]): Promise<AuditRecord[][]> {
      const pages: AuditRecord[][] = [];
      let nextToken: string | undefined;
      do {
        const page = await queryAudit({ ...request, ...(nextToken ? { nextToken } : {}) }, { store });
        expect(page.records.length).toBeLessThanOrEqual(request.limit ?? 50);
        expect(page.unreadable).toBe(0);
        pages.push(page.records);
        nextToken = page.nextToken;
      } while (nextToken && pages.length < 100);
      return pages;
    }
    const idsOf = (pages: AuditRecord[][]) => pages.flat().map((record) => record.eventId);
    const isNewestFirst = (records: AuditRecord[]) =>
      records.every((record, index) => index === 0 || (records[index - 1]?.atId ?? '') > record.atId);

    it("pages through one user's records newest first, each exactly once", async () => {
      const pages = await allPages({ userId: 'user-a', from, to, limit: 7 });
      const ids = idsOf(pages);

      expect(ids.length).toBe(new Set(ids).size);
      expect([...ids].sort()).toEqual(expectedIds((entry) => entry.actor.userId === 'user-a'));
      expect(isNewestFirst(pages.flat())).toBe(true);
      expect(pages.length).toBeGreaterThan(2);
    });

    it("pages through one patient scope's records, also filtered by user and outcome", async () => {
      const scoped = await allPages({ patientScope: 'scope-11111111', from, to, limit: 4 });
      const narrowed = await allPages({
        patientScope: 'scope-11111111',
        userId: 'user-b',
        outcome: 'denied',
        from,
        to,
      });

      expect(idsOf(scoped).sort()).toEqual(expectedIds((entry) => entry.resource.patientScope === 'scope-11111111'));
      expect(isNewestFirst(scoped.flat())).toBe(true);
      expect(idsOf(narrowed).sort()).toEqual(
        expectedIds(
          ({ resource, actor, outcome }) =>
            resource.patientScope === 'scope-11111111' && actor.userId === 'user-b' && outcome === 'denied',
        ),
      );
    });

    it('walks the day chains for action and outcome filters, newest day first, each record once', async () => {
      const pages = await allPages({ action: 'phi.reidentify', outcome: 'failed', from, to, limit: 3 });
      const ids = idsOf(pages);

      expect(ids.length).toBe(new Set(ids).size);
      expect([...ids].sort()).toEqual(
        expectedIds(({ action, outcome }) => action === 'phi.reidentify' && outcome === 'failed'),
      );
      // Seeded in time order, so within each day the merged chains come out exactly newest first.
      expect(isNewestFirst(pages.flat())).toBe(true);
    });

    it('carries on through empty days, returning short or empty pages with a token until the range ends', async () => {
      const pages = await allPages({ action: 'phi.reidentify', from: '2026-03-04T00:00:00.000Z', to, limit: 50 });

      expect(idsOf(pages).sort()).toEqual(expectedIds(({ action }) => action === 'phi.reidentify'));
      expect(pages.some((page) => page.length === 0)).toBe(true);
    });

    it('returns every record of the range once when nothing else is filtered', async () => {
      const ids = idsOf(await allPages({ from, to, limit: 200 }));
      expect(ids.length).toBe(150);
      expect(new Set(ids).size).toBe(150);
    });

    it('keeps to the half-open time range [from, to)', async () => {
      const start = seeded[30]?.entry.at ?? '';
      const end = seeded[60]?.entry.at ?? '';
      const inRange = ({ at: time }: AuditEntry) => time >= start && time < end;

      expect(idsOf(await allPages({ from: start, to: end, limit: 9 })).sort()).toEqual(expectedIds(inRange));
      expect(idsOf(await allPages({ userId: 'user-a', from: start, to: end, limit: 9 })).sort()).toEqual(
        expectedIds((entry) => inRange(entry) && entry.actor.userId === 'user-a'),
      );
    });

    it('refuses a page token that was altered, forged or issued for another query', async () => {
      const byUser = await queryAudit({ userId: 'user-a', from, to, limit: 2 }, { store });
      const walked = await queryAudit({ action: 'phi.deidentify', from, to, limit: 2 }, { store });
      const decode = (token = '') => JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const userToken = decode(byUser.nextToken);
      const walkToken = decode(walked.nextToken);
      const refused = async (request: Parameters<typeof queryAudit>[0]) => {
        await expect(queryAudit(request, { store })).rejects.toMatchObject({ code: 'INVALID_PAGE_TOKEN' });
      };

      await refused({ userId: 'user-a', from, to, nextToken: `${byUser.nextToken}x` });
      await refused({ userId: 'user-a', from, to, nextToken: 'not*base64' });
      await refused({ userId: 'user-b', from, to, nextToken: byUser.nextToken });
      await refused({
        userId: 'user-a',
        from,
        to,
        nextToken: encode({ ...userToken, c: { ...userToken.c, atId: '2030' } }),
      });
      await refused({
        userId: 'user-a',
        from,
        to,
        nextToken: encode({ ...userToken, c: { ...userToken.c, pk: 'event#x' } }),
      });
      await refused({ userId: 'user-a', from, to, nextToken: walked.nextToken });
      await refused({
        action: 'phi.deidentify',
        from,
        to,
        nextToken: encode({ ...walkToken, c: { ...walkToken.c, day: '2026-05-01' } }),
      });
      await refused({
        action: 'phi.deidentify',
        from,
        to,
        nextToken: encode({ ...walkToken, c: { ...walkToken.c, below: [1, 2] } }),
      });
    });
  });

  describe('verify against edited items', () => {
    it('reports a changed field as modified', async () => {
      const pk = await seedChain('2026-02-01', '03', 4);
      await tables.client.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: itemKey(pk, 2),
          UpdateExpression: 'SET outcome = :allowed',
          ExpressionAttributeValues: { ':allowed': { S: 'failed' } },
        }),
      );

      const result = await verifyAuditChains({ store }, { day: '2026-02-01' });
      expect(result.findings).toEqual([{ kind: 'modified', pk, seq: 2, detail: expect.any(String) }]);
    });

    it('reports a deleted record as deleted', async () => {
      const pk = await seedChain('2026-02-02', '03', 4);
      await tables.client.send(new DeleteItemCommand({ TableName: TABLE, Key: itemKey(pk, 2) }));

      const result = await verifyAuditChains({ store }, { day: '2026-02-02' });
      expect(result.findings).toEqual([{ kind: 'deleted', pk, seq: 2, detail: 'seq 2 missing' }]);
    });

    it('reports a forged record that does not chain to its predecessor as inserted', async () => {
      const pk = await seedChain('2026-02-03', '03', 3);
      const forged = buildAuditRecord(
        auditEntry({ at: '2026-02-03T12:00:00Z' }),
        'evt-forged',
        { pk, seq: 4, prevHash: sha256Hex('made up') },
        expiryOf('2026-02-03T12:00:00Z', 6),
      );
      await putItem(toItem(forged));

      const result = await verifyAuditChains({ store }, { day: '2026-02-03' });
      expect(result.findings).toEqual([{ kind: 'inserted', pk, seq: 4, detail: expect.any(String) }]);
    });

    it('reports two swapped records as reordered', async () => {
      const pk = await seedChain('2026-02-04', '03', 4);
      const second = await getItem(pk, 2);
      const third = await getItem(pk, 3);
      await putItem({ ...third, seq: { N: '2' } });
      await putItem({ ...second, seq: { N: '3' } });

      const result = await verifyAuditChains({ store }, { day: '2026-02-04' });
      expect(new Set(result.findings.map((finding) => finding.kind))).toEqual(new Set(['reordered']));
      expect(result.findings.map((finding) => finding.seq)).toEqual(expect.arrayContaining([2, 3]));
    });

    it('reports a removed head only against the exported anchors, as truncated', async () => {
      const day = '2026-02-05';
      const pk = await seedChain(day, '03', 3);
      const { anchors } = await exportAuditDay(day, { store });
      await tables.client.send(new DeleteItemCommand({ TableName: TABLE, Key: itemKey(pk, 3) }));

      expect((await verifyAuditChains({ store }, { day })).ok).toBe(true);
      expect((await verifyAuditChains({ store }, { day, anchors })).findings).toEqual([
        { kind: 'truncated', pk, seq: 3, detail: expect.any(String) },
      ]);
    });

    it('reports a chain rewritten with recomputed hashes only against the exported anchors', async () => {
      const day = '2026-02-06';
      const pk = await seedChain(day, '03', 3);
      const { anchors } = await exportAuditDay(day, { store });

      // Someone with write access rewrites every record and recomputes every hash.
      let prevHash = genesisHash(pk);
      for (const record of await store.readChain(pk)) {
        const content = { ...record, outcome: 'denied', prevHash, hash: undefined };
        const hash = recordHash(content);
        await putItem(toItem({ ...content, hash }));
        prevHash = hash;
      }

      expect((await verifyAuditChains({ store }, { day })).ok).toBe(true);
      expect((await verifyAuditChains({ store }, { day, anchors })).findings).toEqual([
        { kind: 'anchor-mismatch', pk, seq: 3, detail: 'hash differs from the anchor' },
      ]);
    });
  });
});

function toItem(record: Readonly<Record<string, unknown>>): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [field, value] of Object.entries(record)) {
    if (value !== undefined) item[field] = toAttribute(value);
  }
  return item;
}

function toAttribute(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  if (value !== null && typeof value === 'object') return { M: toItem(value as Record<string, unknown>) };
  throw new TypeError('unexpected value in a test record');
}
