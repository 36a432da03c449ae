/** Use case: one UTC day of the audit trail as JSON Lines, ending with each chain's head as anchors for the verifier. */
import { z } from 'zod';
import { ValidationFailed } from '../errors/domain-errors.ts';
import { log } from '../observability/telemetry.ts';
import type { AuditStore } from '../ports/audit-store.ts';
import { AuditDay, ChainPartition, canonicalJson, chainPartitionsOf, type StoredRecord } from './audit-chain.ts';
import type { AuditAnchor } from './verify-audit-chain.ts';

export interface AuditDayExport {
  readonly day: string;
  /** One canonical JSON record per line, by chain then seq, then a line `{"anchors":[...],"day":...,"records":n}`. */
  readonly text: string;
  readonly records: number;
  /** Each chain's head at export time: kept in object-locked storage, they later expose truncation and forgery. */
  readonly anchors: AuditAnchor[];
}

const AnchorsLine = z
  .object({
    anchors: z.array(z.object({ pk: ChainPartition, seq: z.number().int().positive(), hash: z.string() }).strict()),
    day: AuditDay,
    records: z.number().int().nonnegative(),
  })
  .strict();
const RecordLine = z.object({ pk: z.string(), seq: z.number() }).catchall(z.json());

export async function exportAuditDay(day: string, ports: { readonly store: AuditStore }): Promise<AuditDayExport> {
  if (!AuditDay.safeParse(day).success) throw new ValidationFailed('INVALID_AUDIT_DAY', 'The day must be YYYY-MM-DD');
  const lines: string[] = [];
  const anchors: AuditAnchor[] = [];
  for (const pk of chainPartitionsOf(day)) {
    const chain = [...(await ports.store.readChain(pk))].sort((a, b) => a.seq - b.seq);
    for (const record of chain) lines.push(canonicalJson(record));
    const head = chain.at(-1);
    if (head) anchors.push({ pk, seq: head.seq, hash: typeof head.hash === 'string' ? head.hash : '' });
  }
  const records = lines.length;
  lines.push(canonicalJson({ anchors, day, records }));
  log.info('audit day exported', { day, records, chains: anchors.length });
  return { day, text: `${lines.join('\n')}\n`, records, anchors };
}

/** Reads an export back (to verify it offline, or to take its anchors); rejects text that is not one. */
export function readAuditDayExport(text: string): { day: string; records: StoredRecord[]; anchors: AuditAnchor[] } {
  const invalid = () => new ValidationFailed('INVALID_AUDIT_EXPORT', 'The text is not an audit day export');
  const lines = text.split('\n').filter((line) => line.length > 0);
  const parseLine = (line: string): unknown => {
    try {
      return JSON.parse(line);
    } catch {
      throw invalid();
    }
  };
  const trailer = AnchorsLine.safeParse(parseLine(lines.at(-1) ?? ''));
  if (!trailer.success || trailer.data.records !== lines.length - 1) throw invalid();
  const records = lines.slice(0, -1).map((line) => {
    const record = RecordLine.safeParse(parseLine(line));
    if (!record.success) throw invalid();
    return record.data;
  });
  return { day: trailer.data.day, records, anchors: trailer.data.anchors };
}
