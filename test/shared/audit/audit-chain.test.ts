import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_SHARDS,
  buildAuditRecord,
  canonicalJson,
  chainPartitionOf,
  chainPartitionsOf,
  daysInRange,
  expiryOf,
  genesisHash,
  parseChainPartition,
  recordHash,
  sha256Hex,
  shardOf,
} from '../../../shared/audit/audit-chain.ts';
import { ValidationFailed } from '../../../shared/errors/domain-errors.ts';
import { auditEntry, buildChain } from './audit-fixtures.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined fields and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: 'x', e: undefined } })).toBe('{"a":{"c":"x","d":[2,1]},"b":1}');
  });

  it('gives the same text for objects that differ only in key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('chain partitions', () => {
  it('places an entry in its UTC day and a two-digit shard derived from the event id', () => {
    expect(chainPartitionOf('2026-03-01T23:59:59.999Z', 'evt-1')).toBe(`chain#2026-03-01#${shardOf('evt-1')}`);
    expect(shardOf('evt-1')).toMatch(/^(0\d|1[0-5])$/);
    expect(shardOf('evt-1')).toBe(shardOf('evt-1'));
  });

  it('spreads event ids over all shards', () => {
    const shards = new Set(Array.from({ length: 400 }, (_, index) => shardOf(`evt-${index}`)));
    expect(shards.size).toBe(AUDIT_SHARDS);
  });

  it('lists a day as 16 partitions that parse back to the day and shard', () => {
    const partitions = chainPartitionsOf('2026-03-01');
    expect(partitions).toHaveLength(16);
    expect(partitions.map(parseChainPartition)).toEqual(
      Array.from({ length: 16 }, (_, shard) => ({ day: '2026-03-01', shard })),
    );
    expect(parseChainPartition('chain#2026-03-01#16')).toBeUndefined();
    expect(parseChainPartition('event#abc')).toBeUndefined();
  });

  it('lists the days of a half-open range newest first', () => {
    expect(daysInRange('2026-02-27T12:00:00.000Z', '2026-03-02T00:00:00.000Z')).toEqual([
      '2026-03-01',
      '2026-02-28',
      '2026-02-27',
    ]);
    expect(daysInRange('2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.001Z')).toEqual(['2026-03-01']);
  });

  it('expires every record of a day together, the retention period after the day ends', () => {
    const morning = expiryOf('2026-03-01T00:00:01Z', 6);
    expect(expiryOf('2026-03-01T23:59:59.999Z', 6)).toBe(morning);
    expect(new Date(morning * 1000).toISOString()).toBe('2032-03-02T00:00:00.000Z');
  });
});

describe('buildAuditRecord', () => {
  const pk = 'chain#2026-03-01#00';

  it('hashes the previous hash and every stored field except the hash itself', () => {
    const record = buildAuditRecord(auditEntry(), 'evt-1', { pk, seq: 1, prevHash: genesisHash(pk) }, 1_900_000_000);
    const { hash, ...content } = record;

    expect(hash).toBe(sha256Hex(`${genesisHash(pk)}\n${canonicalJson(content)}`));
    expect(recordHash(record)).toBe(hash);
    expect(recordHash({ ...record, seq: 2 })).not.toBe(hash);
    expect(recordHash({ ...record, eventId: 'evt-2' })).not.toBe(hash);
    expect(recordHash({ ...record, pk: 'chain#2026-03-01#01' })).not.toBe(hash);
  });

  it('binds the genesis hash to the partition', () => {
    expect(genesisHash(pk)).not.toBe(genesisHash('chain#2026-03-01#01'));
  });

  it('copies the index attributes from the entry and normalises the time in atId', () => {
    const record = buildAuditRecord(
      auditEntry({ at: '2026-03-01T10:00:00Z' }),
      'evt-1',
      { pk, seq: 1, prevHash: genesisHash(pk) },
      1,
    );
    expect(record).toMatchObject({
      userId: 'user-physician-1',
      patientScope: 'scope-aaaaaaaa',
      atId: '2026-03-01T10:00:00.000Z#evt-1',
    });
  });

  it('stores no undefined fields, so a stored copy hashes the same', () => {
    const record = buildAuditRecord(
      auditEntry({ resource: {}, purpose: undefined }),
      'evt-1',
      { pk, seq: 1, prevHash: genesisHash(pk) },
      1,
    );
    expect('patientScope' in record).toBe(false);
    expect('purpose' in record).toBe(false);
    expect(recordHash(JSON.parse(JSON.stringify(record)))).toBe(record.hash);
  });

  it('refuses entries outside the audit schema and malformed event ids', () => {
    const position = { pk, seq: 1, prevHash: genesisHash(pk) };
    const withExtra = { ...auditEntry(), note: 'free text' };
    expect(() => buildAuditRecord(withExtra, 'evt-1', position, 1)).toThrow(ValidationFailed);
    expect(() => buildAuditRecord(auditEntry(), 'evt 1', position, 1)).toThrow(ValidationFailed);
  });

  it('builds chains whose records link each to the one before', () => {
    const chain = buildChain(pk, [auditEntry(), auditEntry(), auditEntry()]);
    expect(chain.map((record) => record.seq)).toEqual([1, 2, 3]);
    expect(chain[1]?.prevHash).toBe(chain[0]?.hash);
    expect(chain[2]?.prevHash).toBe(chain[1]?.hash);
  });
});
