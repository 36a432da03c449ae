/** Audit test fixtures: valid entries, chains built with the real chain arithmetic, and a read-only fake store. */
import { randomUUID } from 'node:crypto';
import {
  type AuditRecord,
  buildAuditRecord,
  genesisHash,
  type JsonValue,
  type StoredRecord,
  shardOf,
} from '../../../shared/audit/audit-chain.ts';
import type { AuditEntry } from '../../../shared/audit/audit-entry.ts';
import type { AuditPage, AuditStore } from '../../../shared/ports/audit-store.ts';

export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    action: 'phi.deidentify',
    outcome: 'allowed',
    actor: { userId: 'user-physician-1', roles: ['physician'] },
    resource: { patientScope: 'scope-aaaaaaaa', tokenCount: 3, entityCounts: { NAME: 2, DATE: 1 } },
    purpose: 'treatment',
    correlationId: randomUUID(),
    at: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

/** A valid chain in partition `pk`: each entry chained to the one before, from the genesis hash. */
export function buildChain(pk: string, entries: readonly AuditEntry[], eventIds?: readonly string[]): AuditRecord[] {
  const chain: AuditRecord[] = [];
  entries.forEach((entry, index) => {
    const previous = chain.at(-1);
    chain.push(
      buildAuditRecord(
        entry,
        eventIds?.[index] ?? randomUUID(),
        { pk, seq: index + 1, prevHash: previous?.hash ?? genesisHash(pk) },
        1_900_000_000,
      ),
    );
  });
  return chain;
}

/** A record as a store hands it back: plain JSON, nothing typed. */
export function stored(record: AuditRecord): StoredRecord {
  // Built records carry no undefined fields, so every value is JSON.
  return { ...(record as unknown as Record<string, JsonValue>), pk: record.pk, seq: record.seq };
}

/** `count` distinct event ids that all hash to `shard`, so that they share one chain per day. */
export function eventIdsInShard(shard: string, count: number, prefix = 'evt'): string[] {
  const ids: string[] = [];
  for (let candidate = 0; ids.length < count; candidate++) {
    const id = `${prefix}-${candidate}`;
    if (shardOf(id) === shard) ids.push(id);
  }
  return ids;
}

/** A store holding fixed chains; `append` and `query` are not part of what the verifier and export use. */
export function fakeChainStore(records: readonly StoredRecord[]): AuditStore {
  return {
    name: 'FakeChainStore',
    append: () => Promise.reject(new Error('read-only fake')),
    query: (): Promise<AuditPage> => Promise.reject(new Error('read-only fake')),
    listChains: async () => [...new Set(records.map((record) => record.pk))].sort(),
    readChain: async (pk) => records.filter((record) => record.pk === pk).sort((a, b) => a.seq - b.seq),
  } satisfies AuditStore;
}
