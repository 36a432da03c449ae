/** Port: the append-only, hash-chained audit trail: append, query by who/whom/what/when, and read chains to verify. */
import type { AuditRecord, StoredRecord } from '../audit/audit-chain.ts';
import type { AuditEntry, AuditOutcome } from '../audit/audit-entry.ts';

/** What to look for. `from` and `to` are normalised ISO instants bounding the half-open range [from, to). */
export interface AuditFilter {
  readonly userId?: string;
  readonly patientScope?: string;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly from: string;
  readonly to: string;
}

/**
 * Where a query stopped. `index` cursors belong to filters with a userId or patientScope (served newest first
 * from an index); `chains` cursors to the others (served day by day, newest day first): `below[shard]` is the seq
 * under which that shard's chain continues, `null` when it has not been read yet and 0 when it is done.
 */
export type AuditCursor =
  | { readonly kind: 'index'; readonly pk: string; readonly seq: number; readonly atId: string }
  | { readonly kind: 'chains'; readonly day: string; readonly below: readonly (number | null)[] };

export interface AuditPageRequest {
  readonly limit: number;
  readonly cursor?: AuditCursor;
}

export interface AuditPage {
  readonly records: AuditRecord[];
  /** Matching items that no longer fit the record schema (tampered or corrupt): run the verifier. */
  readonly unreadable: number;
  /** Absent when the range is exhausted. A page may be short, even empty, and still carry a cursor. */
  readonly cursor?: AuditCursor;
}

export interface AppendResult {
  readonly pk: string;
  readonly seq: number;
  readonly hash: string;
  /** False when the event had already been recorded; pk, seq and hash are then those of the earlier record. */
  readonly appended: boolean;
}

export interface AuditStore {
  readonly name: string;
  /** Appends the entry carried by event `eventId` to its chain, at most once per event id. */
  append(entry: AuditEntry, eventId: string): Promise<AppendResult>;
  query(filter: AuditFilter, page: AuditPageRequest): Promise<AuditPage>;
  /** Every chain partition holding records, sorted. Reads the whole table: for the offline verifier. */
  listChains(): Promise<string[]>;
  /** One chain's items in seq order, as stored (untrusted); empty when the partition has none. */
  readChain(pk: string): Promise<StoredRecord[]>;
}
