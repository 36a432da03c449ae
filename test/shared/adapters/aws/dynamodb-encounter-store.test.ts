import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbEncounterStore } from '../../../../shared/adapters/aws/dynamodb-encounter-store.ts';
import { EncounterExists, type EncounterRecord } from '../../../../shared/ports/encounter-store.ts';
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
});

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
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => store.claimSegment('enc-claim-1', 4)));
    expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(5);
    expect(await store.claimSegment('enc-missing-2', 0)).toBe('missing');
  });

  it('gives a released number back, and refuses every claim once the encounter ended', async () => {
    await store.create(record('enc-release-1'));
    expect(await store.claimSegment('enc-release-1', 0)).toBe('claimed');
    await store.releaseSegment('enc-release-1', 0);
    expect(await store.claimSegment('enc-release-1', 0)).toBe('claimed');
    expect(await store.end('enc-release-1', '2026-11-26T05:00:00.000Z')).toBe('ended');
    expect(await store.end('enc-release-1', '2026-11-26T05:01:00.000Z')).toBe('already-ended');
    expect(await store.claimSegment('enc-release-1', 1)).toBe('not-open');
    expect((await store.get('enc-release-1'))?.endedAt).toBe('2026-11-26T05:00:00.000Z');
    expect(await store.end('enc-missing-3', '2026-11-26T05:00:00.000Z')).toBe('missing');
  });

  it('lists finals by sequence number then index, whatever order they were stored in, and marks segments done', async () => {
    await store.create(record('enc-order-1'));
    for (const seq of [10, 2, 0]) expect(await store.claimSegment('enc-order-1', seq)).toBe('claimed');
    await store.putFinals('enc-order-1', 10, [sealed(10, 0)]);
    await store.putFinals('enc-order-1', 2, [sealed(2, 0), sealed(2, 1)]);
    await store.putFinals('enc-order-1', 0, []);
    const listed = await store.listSegments('enc-order-1');
    expect(listed.map((segment) => segment.segmentId)).toEqual(['enc.2.0', 'enc.2.1', 'enc.10.0']);
    expect([...((await store.get('enc-order-1'))?.done ?? [])].sort((a, b) => a - b)).toEqual([0, 2, 10]);
  });

  it('refuses to mark done a segment that was never claimed', async () => {
    await store.create(record('enc-unclaimed-1'));
    await expect(store.putFinals('enc-unclaimed-1', 3, [])).rejects.toThrow();
    expect((await store.get('enc-unclaimed-1'))?.done).toEqual([]);
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
