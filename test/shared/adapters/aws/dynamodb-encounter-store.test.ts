import { type DynamoDBClient, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbEncounterStore } from '../../../../shared/adapters/aws/dynamodb-encounter-store.ts';
import {
  ClaimLost,
  EncounterExists,
  type EncounterRecord,
  type SegmentClaim,
} from '../../../../shared/ports/encounter-store.ts';
import { type LocalTables, startLocalTables } from '../../../support/local-tables.ts';

const record = (encounterId: string): EncounterRecord => ({
  encounterId,
  patientScope: 'patient-scope-1',
  clinicianId: 'dr.lee',
  specialty: 'PRIMARYCARE',
  encoding: 'pcm-s16le',
  sampleRateHz: 16_000,
  status: 'open',
  openedAt: '2026-11-26T04:00:00.000Z',
  encryptedDataKey: new Uint8Array([1, 2, 3]),
  claimed: [],
  done: [],
  claims: [],
});

const NOW = Date.parse('2026-11-26T04:00:00.000Z');
const LEASE = 60_000;
let attempts = 0;
const claimOf = (seq: number, expiresAtMs = NOW + LEASE): SegmentClaim => {
  attempts += 1;
  return { seq, attempt: `attempt-${attempts}`, expiresAtMs };
};

const sealed = (seq: number, index: number) => ({
  segmentId: `enc.${seq}.${index}`,
  seq,
  index,
  startMs: seq * 1000 + index,
  endMs: seq * 1000 + index + 500,
  sealed: new Uint8Array([seq, index]),
});

describe('DynamoDbEncounterStore', () => {
  let tables: LocalTables;
  let store: DynamoDbEncounterStore;

  beforeAll(async () => {
    tables = await startLocalTables();
    store = new DynamoDbEncounterStore(tables.client, 'encounters');
  });
  afterAll(async () => tables?.close());

  it('creates an encounter once and reads it back', async () => {
    await store.create(record('enc-create-1'));
    await expect(store.create(record('enc-create-1'))).rejects.toBeInstanceOf(EncounterExists);
    const read = await store.get('enc-create-1');
    expect(read).toMatchObject({ status: 'open', clinicianId: 'dr.lee', claimed: [], done: [] });
    expect(Buffer.from(read?.encryptedDataKey ?? [])).toEqual(Buffer.from([1, 2, 3]));
    expect(await store.get('enc-missing-1')).toBeUndefined();
  });

  it('lets exactly one of several concurrent claims of a segment number win', async () => {
    await store.create(record('enc-claim-1'));
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => store.claimSegment('enc-claim-1', claimOf(4), NOW)),
    );
    expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(5);
    expect(await store.claimSegment('enc-missing-2', claimOf(0), NOW)).toBe('missing');
  });

  it('gives a released number back, and refuses every claim once the encounter ended', async () => {
    await store.create(record('enc-release-1'));
    const first = claimOf(0);
    expect(await store.claimSegment('enc-release-1', first, NOW)).toBe('claimed');
    await store.releaseSegment('enc-release-1', first);
    const second = claimOf(0);
    expect(await store.claimSegment('enc-release-1', second, NOW)).toBe('claimed');
    // A stale holder's release does not free someone else's claim.
    await store.releaseSegment('enc-release-1', first);
    expect(await store.claimSegment('enc-release-1', claimOf(0), NOW)).toBe('duplicate');
    await store.putFinals('enc-release-1', second, []);
    expect(await store.end('enc-release-1', '2026-11-26T05:00:00.000Z', NOW)).toBe('ended');
    expect(await store.end('enc-release-1', '2026-11-26T05:01:00.000Z', NOW)).toBe('already-ended');
    expect(await store.claimSegment('enc-release-1', claimOf(1), NOW)).toBe('not-open');
    expect((await store.get('enc-release-1'))?.endedAt).toBe('2026-11-26T05:00:00.000Z');
    expect(await store.end('enc-missing-3', '2026-11-26T05:00:00.000Z', NOW)).toBe('missing');
  });

  it('lists finals by sequence number then index, whatever order they were stored in, and marks segments done', async () => {
    await store.create(record('enc-order-1'));
    const claims = new Map([10, 2, 0].map((seq) => [seq, claimOf(seq)]));
    for (const claim of claims.values()) expect(await store.claimSegment('enc-order-1', claim, NOW)).toBe('claimed');
    await store.putFinals('enc-order-1', claims.get(10) as SegmentClaim, [sealed(10, 0)]);
    await store.putFinals('enc-order-1', claims.get(2) as SegmentClaim, [sealed(2, 0), sealed(2, 1)]);
    await store.putFinals('enc-order-1', claims.get(0) as SegmentClaim, []);
    const listed = await store.listSegments('enc-order-1');
    expect(listed.map((segment) => segment.segmentId)).toEqual(['enc.2.0', 'enc.2.1', 'enc.10.0']);
    expect([...((await store.get('enc-order-1'))?.done ?? [])].sort((a, b) => a - b)).toEqual([0, 2, 10]);
  });

  it('refuses to mark done a segment that was never claimed', async () => {
    await store.create(record('enc-unclaimed-1'));
    await expect(store.putFinals('enc-unclaimed-1', claimOf(3), [])).rejects.toBeInstanceOf(ClaimLost);
    expect((await store.get('enc-unclaimed-1'))?.done).toEqual([]);
  });

  it('lets a lapsed claim of a segment that is not done be claimed again, and only its new holder store finals', async () => {
    await store.create(record('enc-lease-1'));
    const stuck = claimOf(0, NOW + 1_000);
    expect(await store.claimSegment('enc-lease-1', stuck, NOW)).toBe('claimed');
    expect(await store.claimSegment('enc-lease-1', claimOf(0), NOW + 999)).toBe('duplicate');
    const retry = claimOf(0, NOW + 1_000 + LEASE);
    expect(await store.claimSegment('enc-lease-1', retry, NOW + 1_000)).toBe('claimed');
    await expect(store.putFinals('enc-lease-1', stuck, [sealed(0, 0)])).rejects.toBeInstanceOf(ClaimLost);
    await store.putFinals('enc-lease-1', retry, []);
    expect(await store.listSegments('enc-lease-1')).toEqual([]);
    // Done is final: not even a lapsed claim makes it claimable again.
    expect(await store.claimSegment('enc-lease-1', claimOf(0), NOW + 10 * LEASE)).toBe('duplicate');
  });

  it('refuses to end while a live claim is in flight, but not for a lapsed one, and refuses finals once ended', async () => {
    await store.create(record('enc-inflight-1'));
    const live = claimOf(3, NOW + LEASE);
    const lapsed = claimOf(5, NOW + 10);
    await store.claimSegment('enc-inflight-1', live, NOW);
    await store.claimSegment('enc-inflight-1', lapsed, NOW);
    expect(await store.end('enc-inflight-1', '2026-11-26T04:00:01.000Z', NOW + 20)).toEqual({ inFlight: [3] });
    expect((await store.get('enc-inflight-1'))?.status).toBe('open');
    await store.putFinals('enc-inflight-1', live, [sealed(3, 0)]);
    expect(await store.end('enc-inflight-1', '2026-11-26T04:00:01.000Z', NOW + 20)).toBe('ended');
    await expect(store.putFinals('enc-inflight-1', lapsed, [sealed(5, 0)])).rejects.toBeInstanceOf(ClaimLost);
    expect((await store.listSegments('enc-inflight-1')).map((segment) => segment.segmentId)).toEqual(['enc.3.0']);
  });

  it('shows only the finals of the attempt that marked a segment done, never leftovers of a failed attempt', async () => {
    await store.create(record('enc-orphan-1'));
    const failed = claimOf(0);
    await store.claimSegment('enc-orphan-1', failed, NOW);
    // The first attempt writes three finals, then the done mark fails (throttled), and the claim is released.
    const throttled = new DynamoDbEncounterStore(
      {
        send: (command: unknown) =>
          command instanceof UpdateItemCommand
            ? Promise.reject(new Error('ProvisionedThroughputExceededException'))
            : tables.client.send(command as never),
      } as unknown as DynamoDBClient,
      'encounters',
    );
    await expect(
      throttled.putFinals('enc-orphan-1', failed, [sealed(0, 0), sealed(0, 1), sealed(0, 2)]),
    ).rejects.toThrow();
    await store.releaseSegment('enc-orphan-1', failed);
    expect(await store.listSegments('enc-orphan-1')).toEqual([]);
    const retry = claimOf(0);
    expect(await store.claimSegment('enc-orphan-1', retry, NOW)).toBe('claimed');
    await store.putFinals('enc-orphan-1', retry, [sealed(0, 0), sealed(0, 1)]);
    expect((await store.listSegments('enc-orphan-1')).map((segment) => segment.segmentId)).toEqual([
      'enc.0.0',
      'enc.0.1',
    ]);
  });

  it('orders more than a thousand finals of a segment numerically (#1000 after #999, not before #101)', async () => {
    await store.create(record('enc-wide-1'));
    const claim = claimOf(0);
    await store.claimSegment('enc-wide-1', claim, NOW);
    await store.putFinals(
      'enc-wide-1',
      claim,
      Array.from({ length: 1_001 }, (_, index) => sealed(0, index)),
    );
    const order = (await store.listSegments('enc-wide-1')).map((segment) => segment.index);
    expect(order).toEqual(Array.from({ length: 1_001 }, (_, index) => index));
  });

  it('writes the retention as the TTL attribute of the encounter and of each final, counted from the opening', async () => {
    const shortLived = new DynamoDbEncounterStore(tables.client, 'encounters', 7);
    await shortLived.create(record('enc-ttl-1'));
    const claim = claimOf(0);
    await shortLived.claimSegment('enc-ttl-1', claim, NOW);
    await shortLived.putFinals('enc-ttl-1', claim, [sealed(0, 0)]);
    const { Items = [] } = await tables.client.send(
      new QueryCommand({
        TableName: 'encounters',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'encounter#enc-ttl-1' } },
      }),
    );
    const expected = String(NOW / 1000 + 7 * 86_400);
    expect(Items.map((item) => item.expiresAt?.N)).toEqual([expected, expected]);
  });

  it('binds, finds and forgets a connection', async () => {
    const binding = {
      connectionId: 'conn-1',
      encounterId: 'enc-create-1',
      userId: 'dr.lee',
      roles: ['physician'],
      connectedAt: '2026-11-26T04:00:00.000Z',
    };
    await store.bindConnection(binding, 1_900_000_000);
    expect(await store.findConnection('conn-1')).toEqual(binding);
    await store.unbindConnection('conn-1');
    expect(await store.findConnection('conn-1')).toBeUndefined();
  });
});
