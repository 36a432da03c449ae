import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAuditRecord, type JsonValue, type StoredRecord, sha256Hex } from '../../../shared/audit/audit-chain.ts';
import type { AuditEntry } from '../../../shared/audit/audit-entry.ts';
import {
  type AuditAnchor,
  type AuditFinding,
  verifyAuditChains,
  verifyAuditRecords,
  verifyChainRecords,
} from '../../../shared/audit/verify-audit-chain.ts';
import { auditEntry, buildChain, fakeChainStore, stored } from './audit-fixtures.ts';

const pk = 'chain#2026-03-01#07';

const arbitraryEntry: fc.Arbitrary<AuditEntry> = fc
  .record({
    action: fc.constantFrom('phi.deidentify', 'phi.reidentify', 'phi.scan'),
    outcome: fc.constantFrom('allowed' as const, 'denied' as const, 'failed' as const),
    userId: fc.constantFrom('user-a', 'user-b'),
    patientScope: fc.option(fc.constantFrom('scope-aaaaaaaa', 'scope-bbbbbbbb'), { nil: undefined }),
    tokenCount: fc.option(fc.nat({ max: 50 }), { nil: undefined }),
    second: fc.nat({ max: 86_399 }),
  })
  .map(({ action, outcome, userId, patientScope, tokenCount, second }) =>
    auditEntry({
      action,
      outcome,
      actor: { userId, roles: ['nurse'] },
      resource: {
        ...(patientScope === undefined ? {} : { patientScope }),
        ...(tokenCount === undefined ? {} : { tokenCount }),
      },
      correlationId: `corr-${second}`,
      at: new Date(Date.UTC(2026, 2, 1) + second * 1000).toISOString(),
    }),
  );
const arbitraryChain = fc
  .array(arbitraryEntry, { minLength: 1, maxLength: 12 })
  .map((entries) => buildChain(pk, entries).map(stored));

const headOf = (chain: readonly StoredRecord[]): AuditAnchor => {
  const head = chain.at(-1);
  return { pk, seq: head?.seq ?? 0, hash: typeof head?.hash === 'string' ? head.hash : '' };
};

/** A different value of the same kind, so any edit of a field changes what is hashed. */
function tamper(value: JsonValue | undefined): JsonValue {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'string') return `${value}~`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return [...value, 'extra'];
  return { ...(value as Record<string, JsonValue>), extra: true };
}

const kinds = (findings: readonly AuditFinding[]) => [...new Set(findings.map((finding) => finding.kind))].sort();

describe('verifyChainRecords', () => {
  it('accepts a chain built by the chain arithmetic, and its head as anchor', () => {
    const chain = buildChain(pk, [auditEntry(), auditEntry(), auditEntry()]).map(stored);
    expect(verifyChainRecords(pk, chain, headOf(chain))).toEqual([]);
  });

  it('accepts records in any order of arrival, since it orders them by seq', () => {
    const chain = buildChain(pk, [auditEntry(), auditEntry(), auditEntry()]).map(stored);
    expect(verifyChainRecords(pk, [...chain].reverse())).toEqual([]);
  });

  it('rejects a chain moved to another partition, whose genesis no longer matches', () => {
    const chain = buildChain('chain#2026-03-01#08', [auditEntry()]).map((record) => stored({ ...record, pk }));
    expect(kinds(verifyChainRecords(pk, chain))).toEqual(['modified']);
  });

  it('reports an event recorded twice in one chain as duplicate-event', () => {
    const chain = buildChain(pk, [auditEntry(), auditEntry(), auditEntry()], ['evt-1', 'evt-2', 'evt-1']).map(stored);
    expect(verifyChainRecords(pk, chain)).toEqual([
      { kind: 'duplicate-event', pk, seq: 3, detail: 'same event as seq 1' },
    ]);
  });

  it('reports a forged record linked to the right predecessor by the records it pushed down', () => {
    const chain = buildChain(pk, [auditEntry(), auditEntry(), auditEntry()]);
    const forged = buildAuditRecord(auditEntry(), 'evt-forged', { pk, seq: 2, prevHash: chain[0]?.hash ?? '' }, 1);
    const shifted = [chain[0], forged, ...chain.slice(1).map((record) => ({ ...record, seq: record.seq + 1 }))];
    const findings = verifyChainRecords(
      pk,
      shifted.flatMap((record) => (record ? [stored(record)] : [])),
    );
    expect(findings.map(({ kind, seq }) => ({ kind, seq }))).toEqual([
      { kind: 'reordered', seq: 3 },
      { kind: 'reordered', seq: 4 },
    ]);
  });

  it('reports a second record at the same seq, as an edited export could hold, as inserted', () => {
    const chain = buildChain(pk, [auditEntry(), auditEntry()]).map(stored);
    const forged = stored(
      buildAuditRecord(auditEntry(), 'evt-forged', { pk, seq: 2, prevHash: String(chain[0]?.hash) }, 1),
    );
    expect(verifyChainRecords(pk, [...chain, forged])).toEqual([
      { kind: 'inserted', pk, seq: 2, detail: 'second record at seq 2' },
    ]);
  });

  describe('with random chains', () => {
    it('verifies every chain built by the chain arithmetic', () => {
      fc.assert(
        fc.property(arbitraryChain, (chain) => {
          expect(verifyChainRecords(pk, chain, headOf(chain))).toEqual([]);
        }),
      );
    });

    it('reports any single-field change, addition or removal as modified, on that record only', () => {
      fc.assert(
        fc.property(
          arbitraryChain,
          fc.nat(),
          fc.nat(),
          fc.constantFrom('change', 'remove', 'add'),
          (chain, at, pick, edit) => {
            const index = at % chain.length;
            const target = chain[index] as StoredRecord;
            const fields = Object.keys(target).filter((field) => field !== 'pk' && field !== 'seq');
            const field = fields[pick % fields.length] ?? 'action';
            const edited: Record<string, JsonValue> = { ...target };
            if (edit === 'change') edited[field] = tamper(target[field]);
            else if (edit === 'remove') delete edited[field];
            else edited.note = 'added';
            const tampered = chain.map((record, position) =>
              position === index ? { ...edited, pk, seq: target.seq } : record,
            );

            expect(verifyChainRecords(pk, tampered, headOf(chain))).toEqual([
              { kind: 'modified', pk, seq: index + 1, detail: expect.any(String) },
            ]);
          },
        ),
      );
    });

    it('reports any deletion as deleted, or as truncated when it removes the head', () => {
      fc.assert(
        fc.property(arbitraryChain, fc.nat(), (chain, at) => {
          const index = at % chain.length;
          const remaining = chain.filter((_, position) => position !== index);
          const findings = verifyChainRecords(pk, remaining, headOf(chain));
          const expected = index === chain.length - 1 ? 'truncated' : 'deleted';

          expect(findings).toEqual([{ kind: expected, pk, seq: index + 1, detail: expect.any(String) }]);
          expect(verifyChainRecords(pk, remaining).length).toBe(expected === 'deleted' ? 1 : 0);
        }),
      );
    });

    it('reports a spliced-in record as inserted and the records it pushed down as reordered', () => {
      fc.assert(
        fc.property(arbitraryChain, arbitraryEntry, fc.nat(), (chain, entry, at) => {
          const index = at % (chain.length + 1);
          const forged = stored(
            buildAuditRecord(entry, 'evt-forged', { pk, seq: index + 1, prevHash: sha256Hex('not a record') }, 1),
          );
          const tampered = [
            ...chain.slice(0, index),
            forged,
            ...chain.slice(index).map((record) => ({ ...record, seq: record.seq + 1 })),
          ];
          const findings = verifyChainRecords(pk, tampered);

          expect(findings).toContainEqual({ kind: 'inserted', pk, seq: index + 1, detail: expect.any(String) });
          expect(kinds(findings.filter((finding) => finding.seq !== index + 1))).toEqual(
            index === chain.length ? [] : ['reordered'],
          );
        }),
      );
    });

    it('reports any swap of two records as reordered, at both places', () => {
      fc.assert(
        fc.property(
          arbitraryChain.filter((chain) => chain.length >= 2),
          fc.nat(),
          fc.nat(),
          (chain, first, second) => {
            const i = first % chain.length;
            const j = (i + 1 + (second % (chain.length - 1))) % chain.length;
            const swapped = chain.map((record, position) => {
              const source = position === i ? chain[j] : position === j ? chain[i] : record;
              return { ...(source as StoredRecord), seq: position + 1 };
            });
            const findings = verifyChainRecords(pk, swapped, headOf(chain));

            expect(kinds(findings.filter((finding) => finding.kind !== 'anchor-mismatch'))).toEqual(['reordered']);
            expect(findings.map((finding) => finding.seq)).toEqual(expect.arrayContaining([i + 1, j + 1]));
          },
        ),
      );
    });
  });
});

describe('verifyAuditRecords', () => {
  const otherPk = 'chain#2026-03-01#08';
  const chainA = buildChain(pk, [auditEntry(), auditEntry()]).map(stored);
  const chainB = buildChain(otherPk, [auditEntry()]).map(stored);

  it('verifies records of several chains mixed together', () => {
    const result = verifyAuditRecords([...chainB, ...chainA].reverse());
    expect(result).toEqual({ ok: true, chains: 2, records: 3, expiredChains: 0, findings: [] });
  });

  it('reports a whole chain that vanished when an anchor names it', () => {
    const result = verifyAuditRecords(chainA, { anchors: [{ pk: otherPk, seq: 1, hash: 'x' }] });
    expect(result.ok).toBe(false);
    expect(result.findings).toEqual([{ kind: 'truncated', pk: otherPk, seq: 1, detail: expect.any(String) }]);
  });

  it('reports a wholesale re-hashed forgery only through the anchor', () => {
    const forged = buildChain(pk, [auditEntry(), auditEntry({ outcome: 'allowed', reason: undefined })]).map(stored);
    expect(verifyAuditRecords(forged).ok).toBe(true);
    expect(verifyAuditRecords(forged, { anchors: [headOf(chainA)] }).findings).toEqual([
      { kind: 'anchor-mismatch', pk, seq: 2, detail: 'hash differs from the anchor' },
    ]);
  });

  it('skips intact chains past their expiry when given the time, but not chains whose expiry was edited', () => {
    const now = new Date(2_000_000_000 * 1000);
    const partlyDeleted = chainA.slice(1);
    expect(verifyAuditRecords(partlyDeleted, { now })).toMatchObject({ ok: true, chains: 0, expiredChains: 1 });

    const fresh = chainA.map((record) => ({ ...record, expiresAt: 2_100_000_000 }));
    const edited = [{ ...fresh[0], pk, seq: 1, expiresAt: 1 }, ...fresh.slice(1)];
    expect(verifyAuditRecords(edited, { now }).ok).toBe(false);
  });
});

describe('verifyAuditChains', () => {
  const day = '2026-03-01';
  const records = [
    ...buildChain(pk, [auditEntry(), auditEntry()]).map(stored),
    ...buildChain('chain#2026-03-02#00', [auditEntry()]).map(stored),
  ];

  it('walks every chain of the store when no day is given', async () => {
    const result = await verifyAuditChains({ store: fakeChainStore(records) });
    expect(result).toEqual({ ok: true, chains: 2, records: 3, expiredChains: 0, findings: [] });
  });

  it('walks only the chains of one day when given one', async () => {
    const result = await verifyAuditChains({ store: fakeChainStore(records) }, { day });
    expect(result).toMatchObject({ ok: true, chains: 1, records: 2 });
  });

  it('reports findings with their partition and sequence number', async () => {
    const tampered: StoredRecord[] = records.map((record) =>
      record.pk === pk && record.seq === 2 ? { ...record, outcome: 'denied' } : record,
    );
    const result = await verifyAuditChains({ store: fakeChainStore(tampered) }, { day });
    expect(result.ok).toBe(false);
    expect(result.findings).toEqual([{ kind: 'modified', pk, seq: 2, detail: expect.any(String) }]);
  });
});
