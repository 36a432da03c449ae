/** Use case: searches the audit trail by user, patient scope, action, outcome and time range, one page at a time. */
import { z } from 'zod';
import { ValidationFailed } from '../errors/domain-errors.ts';
import { log } from '../observability/telemetry.ts';
import type { AuditCursor, AuditFilter, AuditStore } from '../ports/audit-store.ts';
import {
  AUDIT_SHARDS,
  AuditDay,
  type AuditRecord,
  ChainPartition,
  canonicalJson,
  daysInRange,
  normalizeInstant,
  parseChainPartition,
  sha256Hex,
} from './audit-chain.ts';
import { AuditEntry, AuditOutcome } from './audit-entry.ts';

/** The widest range one query may cover; longer reviews page through several queries. */
export const MAX_QUERY_RANGE_DAYS = 31;
export const MAX_QUERY_LIMIT = 200;
const DAY_MS = 86_400_000;
const PAGE_TOKEN_VERSION = 1;

export const AuditQueryRequest = z
  .object({
    userId: AuditEntry.shape.actor.shape.userId.optional(),
    patientScope: AuditEntry.shape.resource.shape.patientScope,
    action: AuditEntry.shape.action.optional(),
    outcome: AuditOutcome.optional(),
    /** Inclusive start of the range. */
    from: z.iso.datetime(),
    /** Exclusive end of the range. */
    to: z.iso.datetime(),
    limit: z.number().int().min(1).max(MAX_QUERY_LIMIT).default(50),
    /** The `nextToken` of the previous page of the same query. */
    nextToken: z.string().max(4096).optional(),
  })
  .strict();
export type AuditQueryRequest = z.input<typeof AuditQueryRequest>;

export interface AuditQueryResult {
  /** Newest first with a userId or patientScope; otherwise newest day first and close to newest first within a day. */
  readonly records: AuditRecord[];
  /** Items in range that no longer fit the record schema; a sign of tampering or corruption. */
  readonly unreadable: number;
  /** Present while there may be more; a page can be short or empty and still carry one. */
  readonly nextToken?: string;
}

const PageToken = z
  .object({
    v: z.literal(PAGE_TOKEN_VERSION),
    /** Fingerprint of the filter the token was issued for: a token cannot be replayed against another query. */
    f: z.string().regex(/^[0-9a-f]{32}$/),
    c: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('index'),
          pk: ChainPartition,
          seq: z.number().int().positive(),
          atId: z.string().max(300),
        })
        .strict(),
      z
        .object({
          kind: z.literal('chains'),
          day: AuditDay,
          below: z.array(z.number().int().nonnegative().nullable()).length(AUDIT_SHARDS),
        })
        .strict(),
    ]),
  })
  .strict();

export async function queryAudit(
  request: AuditQueryRequest,
  ports: { readonly store: AuditStore },
): Promise<AuditQueryResult> {
  const parsed = AuditQueryRequest.safeParse(request);
  if (!parsed.success) {
    throw new ValidationFailed('INVALID_AUDIT_QUERY', 'The audit query is not valid', {
      fields: parsed.error.issues.map((issue) => issue.path.join('.')),
    });
  }
  const { limit, nextToken, from, to, userId, patientScope, action, outcome } = parsed.data;
  const filter: AuditFilter = {
    ...(userId === undefined ? {} : { userId }),
    ...(patientScope === undefined ? {} : { patientScope }),
    ...(action === undefined ? {} : { action }),
    ...(outcome === undefined ? {} : { outcome }),
    from: normalizeInstant(from),
    to: normalizeInstant(to),
  };
  const span = Date.parse(filter.to) - Date.parse(filter.from);
  if (span <= 0 || span > MAX_QUERY_RANGE_DAYS * DAY_MS) {
    throw new ValidationFailed(
      'INVALID_TIME_RANGE',
      `The range must be non-empty and at most ${MAX_QUERY_RANGE_DAYS} days`,
    );
  }
  const fingerprint = sha256Hex(canonicalJson(filter)).slice(0, 32);
  const cursor = nextToken === undefined ? undefined : decodePageToken(nextToken, filter, fingerprint);
  const page = await ports.store.query(filter, { limit, ...(cursor ? { cursor } : {}) });
  log.info('audit queried', {
    records: page.records.length,
    unreadable: page.unreadable,
    indexed: filter.userId !== undefined || filter.patientScope !== undefined,
    more: page.cursor !== undefined,
  });
  return {
    records: page.records,
    unreadable: page.unreadable,
    ...(page.cursor ? { nextToken: encodePageToken(page.cursor, fingerprint) } : {}),
  };
}

function encodePageToken(cursor: AuditCursor, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: PAGE_TOKEN_VERSION, f: fingerprint, c: cursor }), 'utf8').toString(
    'base64url',
  );
}

/** The cursor inside a page token, checked for shape, for the query it was issued for, and for staying in range. */
function decodePageToken(token: string, filter: AuditFilter, fingerprint: string): AuditCursor {
  const invalid = () => new ValidationFailed('INVALID_PAGE_TOKEN', 'The page token is not valid for this query');
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = PageToken.safeParse(json);
  if (!parsed.success || parsed.data.f !== fingerprint) throw invalid();
  const cursor = parsed.data.c;
  const indexed = filter.userId !== undefined || filter.patientScope !== undefined;
  if (cursor.kind === 'index') {
    const partition = parseChainPartition(cursor.pk);
    const inRange = cursor.atId >= filter.from && cursor.atId <= filter.to;
    if (!indexed || !partition || !inRange || !cursor.atId.startsWith(partition.day)) throw invalid();
  } else if (indexed || !daysInRange(filter.from, filter.to).includes(cursor.day)) {
    throw invalid();
  }
  return cursor;
}
