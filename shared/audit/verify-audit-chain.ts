/** Checks audit hash chains offline and reports each modification, deletion, insertion, reordering and truncation. */
import { log } from '../observability/telemetry.ts';
import type { AuditStore } from '../ports/audit-store.ts';
import { chainPartitionsOf, genesisHash, type JsonValue, recordHash, type StoredRecord } from './audit-chain.ts';

export const AUDIT_FINDING_KINDS = [
  'modified',
  'deleted',
  'inserted',
  'reordered',
  'duplicate-event',
  'truncated',
  'anchor-mismatch',
] as const;
export type AuditFindingKind = (typeof AUDIT_FINDING_KINDS)[number];

export interface AuditFinding {
  readonly kind: AuditFindingKind;
  readonly pk: string;
  readonly seq: number;
  /** Sequence numbers and counts only: never record content. */
  readonly detail: string;
}

/** A chain head published outside the table (the daily export to object-locked S3). */
export interface AuditAnchor {
  readonly pk: string;
  readonly seq: number;
  readonly hash: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  /** Chains examined (partitions with records, or named by an anchor). */
  readonly chains: number;
  readonly records: number;
  /** Intact chains left out because every record is past its TTL expiry, so DynamoDB may be deleting them. */
  readonly expiredChains: number;
  readonly findings: AuditFinding[];
}

export interface VerifyOptions {
  readonly anchors?: readonly AuditAnchor[];
  /** With a time, intact chains whose records have all expired are skipped instead of reported as truncated. */
  readonly now?: Date;
}

/**
 * Verifies one chain. `records` are the items of partition `pk` (any order). Each record is checked for its own
 * hash, its seq continuity and its link to the record before it; `anchor`, when given, for the head it vouches for.
 */
export function verifyChainRecords(pk: string, records: readonly StoredRecord[], anchor?: AuditAnchor): AuditFinding[] {
  const chain = [...records].sort((a, b) => a.seq - b.seq);
  const findings: AuditFinding[] = [];
  const report = (kind: AuditFindingKind, seq: number, detail: string) => findings.push({ kind, pk, seq, detail });
  const genesis = genesisHash(pk);
  const recomputed = chain.map((record) => recordHash(record));
  const byHash = new Map<string, StoredRecord>();
  for (const record of chain) if (typeof record.hash === 'string') byHash.set(record.hash, record);
  const depthOf = linkDepths(genesis, byHash);
  const firstSeqOfEvent = new Map<string, number>();

  chain.forEach((record, index) => {
    const previous = index > 0 ? chain[index - 1] : undefined;
    const selfConsistent = recomputed[index] === record.hash;
    const prevHash = typeof record.prevHash === 'string' ? record.prevHash : undefined;

    if (typeof record.eventId === 'string') {
      const earlier = firstSeqOfEvent.get(record.eventId);
      if (earlier === undefined) firstSeqOfEvent.set(record.eventId, record.seq);
      else report('duplicate-event', record.seq, `same event as seq ${earlier}`);
    }

    if (!selfConsistent) {
      // A record whose hash fits its content once its seq is set back to where its own prevHash places it was
      // moved, not edited.
      const depth = prevHash === undefined ? undefined : depthOf(prevHash);
      const originalSeq = depth === undefined ? undefined : depth + 1;
      if (
        originalSeq !== undefined &&
        originalSeq !== record.seq &&
        recordHash({ ...record, seq: originalSeq }) === record.hash
      ) {
        report('reordered', record.seq, `record of seq ${originalSeq} stored at seq ${record.seq}`);
      } else {
        report('modified', record.seq, 'hash does not match content');
      }
    }

    const expectedSeq = previous ? previous.seq + 1 : 1;
    if (previous && record.seq === previous.seq) {
      // Impossible in the table (seq is the sort key); an edited export can hold it.
      report('inserted', record.seq, `second record at seq ${record.seq}`);
      return;
    }
    if (record.seq !== expectedSeq) {
      const missing = record.seq - 1 === expectedSeq ? `seq ${expectedSeq}` : `seq ${expectedSeq}..${record.seq - 1}`;
      report('deleted', expectedSeq, `${missing} missing`);
      return;
    }
    if (!selfConsistent) return;
    // The predecessor's stored hash or its recomputed one: a single edit is then reported once, on the edited record.
    const linked = previous ? prevHash === previous.hash || prevHash === recomputed[index - 1] : prevHash === genesis;
    if (linked) return;
    const target = prevHash === undefined ? undefined : byHash.get(prevHash);
    if (target && target !== record) {
      report('reordered', record.seq, `chained to seq ${target.seq}, stored after seq ${previous?.seq ?? 0}`);
    } else {
      report('inserted', record.seq, `not chained to seq ${previous?.seq ?? 0}`);
    }
  });

  if (anchor) findings.push(...checkAnchor(pk, chain, anchor));
  return findings;
}

/** Verifies records of any number of chains (an export, or a whole table read), grouped by partition. */
export function verifyAuditRecords(records: readonly StoredRecord[], options: VerifyOptions = {}): AuditVerification {
  const byChain = new Map<string, StoredRecord[]>();
  for (const record of records) {
    const chain = byChain.get(record.pk);
    if (chain) chain.push(record);
    else byChain.set(record.pk, [record]);
  }
  for (const anchor of options.anchors ?? []) if (!byChain.has(anchor.pk)) byChain.set(anchor.pk, []);
  const tally = new VerificationTally(options);
  for (const [pk, chain] of [...byChain].sort(([a], [b]) => (a < b ? -1 : 1))) tally.add(pk, chain);
  return tally.result();
}

/** The use case: verifies every chain of the store, or those of one UTC day, against optional export anchors. */
export async function verifyAuditChains(
  ports: { readonly store: AuditStore },
  options: VerifyOptions & { readonly day?: string } = {},
): Promise<AuditVerification> {
  const partitions = new Set(options.day ? chainPartitionsOf(options.day) : await ports.store.listChains());
  for (const anchor of options.anchors ?? []) {
    if (!options.day || anchor.pk.startsWith(`chain#${options.day}#`)) partitions.add(anchor.pk);
  }
  const tally = new VerificationTally(options);
  for (const pk of [...partitions].sort()) tally.add(pk, await ports.store.readChain(pk));
  const result = tally.result();
  log.info('audit chains verified', {
    chains: result.chains,
    records: result.records,
    expiredChains: result.expiredChains,
    findings: result.findings.length,
  });
  return result;
}

class VerificationTally {
  private chains = 0;
  private records = 0;
  private expiredChains = 0;
  private readonly findings: AuditFinding[] = [];
  private readonly anchors = new Map<string, AuditAnchor>();

  constructor(private readonly options: VerifyOptions) {
    for (const anchor of options.anchors ?? []) {
      const known = this.anchors.get(anchor.pk);
      if (!known || anchor.seq > known.seq) this.anchors.set(anchor.pk, anchor);
    }
  }

  add(pk: string, chain: readonly StoredRecord[]): void {
    const anchor = this.anchors.get(pk);
    if (chain.length === 0 && !anchor) return;
    if (this.options.now && isExpired(chain, this.options.now)) {
      this.expiredChains++;
      return;
    }
    this.chains++;
    this.records += chain.length;
    this.findings.push(...verifyChainRecords(pk, chain, anchor));
  }

  result(): AuditVerification {
    return {
      ok: this.findings.length === 0,
      chains: this.chains,
      records: this.records,
      expiredChains: this.expiredChains,
      findings: this.findings,
    };
  }
}

function checkAnchor(pk: string, chain: readonly StoredRecord[], anchor: AuditAnchor): AuditFinding[] {
  const anchored = chain.find((record) => record.seq === anchor.seq);
  const last = chain.at(-1)?.seq ?? 0;
  if (!anchored && last < anchor.seq) {
    return [
      { kind: 'truncated', pk, seq: anchor.seq, detail: `chain ends at seq ${last}, anchor at seq ${anchor.seq}` },
    ];
  }
  // Stored or recomputed hash, like a link: an edit of the anchored record alone is already reported as modified.
  if (anchored && (anchored.hash === anchor.hash || recordHash(anchored) === anchor.hash)) return [];
  const detail = anchored ? 'hash differs from the anchor' : 'anchored record missing';
  return [{ kind: 'anchor-mismatch', pk, seq: anchor.seq, detail }];
}

/** True when every record is intact and past its expiry; an edited expiry breaks the hash and is not honoured. */
function isExpired(chain: readonly StoredRecord[], now: Date): boolean {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  return (
    chain.length > 0 &&
    chain.every(
      (record) =>
        typeof record.expiresAt === 'number' && record.expiresAt <= nowSeconds && recordHash(record) === record.hash,
    )
  );
}

/**
 * How many links lead from a hash back to the genesis hash through stored `prevHash` fields (a record's original
 * seq is its depth), memoised, iterative, and undefined when the trail breaks or loops.
 */
function linkDepths(genesis: string, byHash: ReadonlyMap<string, StoredRecord>): (hash: string) => number | undefined {
  const depths = new Map<string, number | undefined>([[genesis, 0]]);
  return (start) => {
    const trail: string[] = [];
    const visited = new Set<string>();
    let hash: string | undefined = start;
    let base: number | undefined;
    while (hash !== undefined) {
      if (depths.has(hash)) {
        base = depths.get(hash);
        break;
      }
      if (visited.has(hash)) break;
      visited.add(hash);
      trail.push(hash);
      const prevHash: JsonValue | undefined = byHash.get(hash)?.prevHash;
      hash = typeof prevHash === 'string' ? prevHash : undefined;
    }
    for (let index = trail.length - 1; index >= 0; index--) {
      const at = trail[index];
      if (at === undefined) continue;
      base = base === undefined ? undefined : base + 1;
      depths.set(at, base);
    }
    return depths.get(start);
  };
}
