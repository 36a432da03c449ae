/** The audit hash chain's arithmetic: partitions, canonical JSON, record hashes and how a stored record is built. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationFailed } from '../errors/domain-errors.ts';
import { AuditEntry } from './audit-entry.ts';

/**
 * Chains per UTC day. Concurrent writers append to 16 independent chains instead of contending for one head.
 * Fixed for good: the verifier and the export derive a day's partitions from it, so changing it would hide the
 * chains of days written under the old value.
 */
export const AUDIT_SHARDS = 16;

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A stored audit item as read back, untrusted: its key plus whatever attributes it holds now. */
export interface StoredRecord {
  readonly pk: string;
  readonly seq: number;
  readonly [field: string]: JsonValue;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CHAIN_PARTITION = /^chain#(\d{4}-\d{2}-\d{2})#(\d{2})$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const DAY_MS = 86_400_000;

export const EventId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);
export const Sha256Hex = z.string().regex(SHA256_HEX);
export const ChainPartition = z.string().regex(CHAIN_PARTITION);
export const AuditDay = z
  .string()
  .regex(DAY)
  // zod runs refinements even after the regex failed, so an invalid date must not throw here.
  .refine((day) => {
    const time = Date.parse(`${day}T00:00:00.000Z`);
    return Number.isFinite(time) && new Date(time).toISOString().startsWith(day);
  });

/** An audit record as the store keeps it: the entry, its chain position and hashes, and the index attributes. */
export const AuditRecord = AuditEntry.extend({
  pk: ChainPartition,
  seq: z.number().int().positive(),
  eventId: EventId,
  prevHash: Sha256Hex,
  hash: Sha256Hex,
  /** Copies of `actor.userId` and `resource.patientScope` for the byUser and byPatientScope indexes. */
  userId: z.string(),
  patientScope: z.string().optional(),
  /** `at` normalised to millisecond ISO form, then `#eventId`: sorts by time and is unique. */
  atId: z.string(),
  /** Epoch seconds when DynamoDB TTL may delete the record. */
  expiresAt: z.number().int(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted (UTF-16 order, as RFC 8785) at every depth, no whitespace, undefined omitted. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('No JSON form for this number');
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const fields = Object.entries(value)
    .filter(([, field]) => field !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`);
  return `{${fields.join(',')}}`;
}

/** The `prevHash` of a chain's first record: bound to the partition, so a chain cannot be moved to another. */
export function genesisHash(pk: string): string {
  return sha256Hex(`genesis\n${pk}`);
}

/** The hash a record should carry: over its previous hash and every stored field except `hash` itself. */
export function recordHash(record: { readonly [field: string]: unknown }): string {
  const { hash: _hash, ...content } = record;
  const prevHash = typeof record.prevHash === 'string' ? record.prevHash : '';
  return sha256Hex(`${prevHash}\n${canonicalJson(content)}`);
}

/** `at` in `toISOString()` form, so that string order is time order whatever precision the writer used. */
export function normalizeInstant(at: string): string {
  const time = Date.parse(at);
  if (Number.isNaN(time)) throw new ValidationFailed('INVALID_INSTANT', 'The timestamp is not valid');
  return new Date(time).toISOString();
}

export function auditDayOf(at: string): string {
  return normalizeInstant(at).slice(0, 10);
}

/** Stable shard of an event: the same event id always lands in the same chain, which makes appends idempotent. */
export function shardOf(eventId: string): string {
  const shard = Number.parseInt(sha256Hex(eventId).slice(0, 8), 16) % AUDIT_SHARDS;
  return String(shard).padStart(2, '0');
}

export function chainPartition(day: string, shard: string): string {
  return `chain#${day}#${shard}`;
}

export function chainPartitionOf(at: string, eventId: string): string {
  return chainPartition(auditDayOf(at), shardOf(eventId));
}

/** Every chain partition a day can have, in shard order. */
export function chainPartitionsOf(day: string): string[] {
  return Array.from({ length: AUDIT_SHARDS }, (_, shard) => chainPartition(day, String(shard).padStart(2, '0')));
}

/** The day and shard of a chain partition key, or undefined when it is not one. */
export function parseChainPartition(pk: string): { day: string; shard: number } | undefined {
  const match = CHAIN_PARTITION.exec(pk);
  if (!match?.[1] || !match[2]) return undefined;
  const shard = Number(match[2]);
  return shard < AUDIT_SHARDS ? { day: match[1], shard } : undefined;
}

/** The UTC days a half-open range [from, to) touches, newest first. */
export function daysInRange(from: string, to: string): string[] {
  const first = Date.parse(`${auditDayOf(from)}T00:00:00.000Z`);
  const last = Date.parse(to) - 1;
  const days: string[] = [];
  for (let day = Date.parse(`${auditDayOf(new Date(last).toISOString())}T00:00:00.000Z`); day >= first; day -= DAY_MS) {
    days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * Epoch seconds at which a record may expire: the end of its UTC day plus the retention period, so every record
 * of a chain shares one expiry and TTL removes whole chains rather than breaking one in the middle.
 */
export function expiryOf(at: string, retentionYears: number): number {
  const endOfDay = new Date(Date.parse(`${auditDayOf(at)}T00:00:00.000Z`) + DAY_MS);
  endOfDay.setUTCFullYear(endOfDay.getUTCFullYear() + retentionYears);
  return Math.floor(endOfDay.getTime() / 1000);
}

export interface ChainPosition {
  readonly pk: string;
  readonly seq: number;
  readonly prevHash: string;
}

/** Builds the record stored for an entry at a chain position, hash included. Rejects entries outside the schema. */
export function buildAuditRecord(
  entry: AuditEntry,
  eventId: string,
  position: ChainPosition,
  expiresAt: number,
): AuditRecord {
  const parsedEntry = AuditEntry.safeParse(entry);
  if (!parsedEntry.success) throw new ValidationFailed('INVALID_AUDIT_ENTRY', 'The audit entry is not valid');
  if (!EventId.safeParse(eventId).success) throw new ValidationFailed('INVALID_EVENT_ID', 'The event id is not valid');
  const valid = parsedEntry.data;
  const unhashed = pruneUndefined({
    ...valid,
    pk: position.pk,
    seq: position.seq,
    eventId,
    prevHash: position.prevHash,
    userId: valid.actor.userId,
    patientScope: valid.resource.patientScope,
    atId: `${normalizeInstant(valid.at)}#${eventId}`,
    expiresAt,
  });
  return AuditRecord.parse({ ...unhashed, hash: recordHash(unhashed) });
}

/** A deep copy without undefined fields, so the hashed content is exactly what a store returns. */
function pruneUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(pruneUndefined) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy = Object.entries(value)
    .filter(([, field]) => field !== undefined)
    .map(([key, field]) => [key, pruneUndefined(field)]);
  // Same keys and shapes as the input minus undefined ones, which the optional fields of T already allow.
  return Object.fromEntries(copy) as T;
}
