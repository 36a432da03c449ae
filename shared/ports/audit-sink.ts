/** Port: records an audit entry durably before the audited act's result is released. */
import type { AuditEntry } from '../audit/audit-entry.ts';

export interface AuditSink {
  readonly name: string;
  /** Rejects when the entry could not be recorded; the caller must then fail the request (no access unrecorded). */
  record(entry: AuditEntry): Promise<void>;
}
