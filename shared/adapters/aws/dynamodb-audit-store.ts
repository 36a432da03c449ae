/**
 * AuditStore on DynamoDB: one hash chain per UTC day and shard, appended with conditional single-item writes
 * (no transactions, so the same code runs on dynalite), deduplicated by event id, queried through the byUser and
 * byPatientScope indexes or by walking a day's chains.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  AUDIT_SHARDS,
  AuditRecord,
  buildAuditRecord,
  chainPartition,
  chainPartitionOf,
  daysInRange,
  EventId,
  expiryOf,
  genesisHash,
  type JsonValue,
  recordHash,
  type StoredRecord,
} from '../../audit/audit-chain.ts';
import type { AuditEntry } from '../../audit/audit-entry.ts';
import { ServiceUnavailable, ValidationFailed } from '../../errors/domain-errors.ts';
import { log } from '../../observability/telemetry.ts';
import type {
  AppendResult,
  AuditCursor,
  AuditFilter,
  AuditPage,
  AuditPageRequest,
  AuditStore,
} from '../../ports/audit-store.ts';

export interface DynamoDbAuditStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** HIPAA asks for six years (45 CFR 164.316(b)(2)); records expire that long after the end of their day. */
  readonly retentionYears: number;
  /** Conditional-write races tolerated per append before giving up (the event is then retried by its source). */
  readonly maxAttempts?: number;
}

type Item = Record<string, AttributeValue>;

const DEFAULT_MAX_ATTEMPTS = 50;
// Backoff after a lost race: full jitter, doubling from 4 ms to at most 250 ms.
const BACKOFF_BASE_MS = 4;
const BACKOFF_CAP_MS = 250;
// The head read also returns the newest records, so a quickly redelivered event is caught even without its marker.
const RECENT_RECORDS = 10;
const EVENT_MARKER_PREFIX = 'event#';
// Read calls per query page. At least one per shard, so every page makes progress (see queryChains).
const MAX_READS_PER_PAGE = 4 * AUDIT_SHARDS;
const MIN_READ_BATCH = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const invalidPageToken = () => new ValidationFailed('INVALID_PAGE_TOKEN', 'The page token is not valid for this query');

interface ShardStream {
  readonly pk: string;
  /** Seq under which the chain continues; null before the first read. */
  below: number | null;
  readonly buffer: Item[];
  done: boolean;
}

export class DynamoDbAuditStore implements AuditStore {
  readonly name = 'DynamoDbAuditStore';

  private readonly chainTails = new Map<string, Promise<void>>();

  constructor(private readonly options: DynamoDbAuditStoreOptions) {}

  async append(entry: AuditEntry, eventId: string): Promise<AppendResult> {
    if (!EventId.safeParse(eventId).success) {
      throw new ValidationFailed('INVALID_EVENT_ID', 'The event id is not valid');
    }
    const recorded = await this.readMarker(eventId);
    if (recorded) return { ...recorded, appended: false };
    const pk = chainPartitionOf(entry.at, eventId);
    const expiresAt = expiryOf(entry.at, this.options.retentionYears);
    const result = await this.oneAtATime(pk, () => this.appendToChain(pk, entry, eventId, expiresAt));
    await this.writeMarker(eventId, result, expiresAt);
    if (!result.appended) log.info('audit event already recorded', { pk, seq: result.seq });
    return result;
  }

  async query(filter: AuditFilter, page: AuditPageRequest): Promise<AuditPage> {
    const index =
      filter.patientScope !== undefined
        ? { name: 'byPatientScope', key: 'patientScope', value: filter.patientScope }
        : filter.userId !== undefined
          ? { name: 'byUser', key: 'userId', value: filter.userId }
          : undefined;
    const { cursor } = page;
    if (index) {
      if (cursor && cursor.kind !== 'index') throw invalidPageToken();
      return this.queryIndex(filter, page.limit, index, cursor);
    }
    if (cursor && cursor.kind !== 'chains') throw invalidPageToken();
    return this.queryChains(filter, page.limit, cursor);
  }

  async listChains(): Promise<string[]> {
    const partitions = new Set<string>();
    let startKey: Item | undefined;
    do {
      const page = await this.options.client.send(
        new ScanCommand({
          TableName: this.options.tableName,
          ProjectionExpression: '#pk',
          FilterExpression: 'begins_with(#pk, :chain)',
          ExpressionAttributeNames: { '#pk': 'pk' },
          ExpressionAttributeValues: { ':chain': { S: 'chain#' } },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) if (item.pk?.S) partitions.add(item.pk.S);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return [...partitions].sort();
  }

  async readChain(pk: string): Promise<StoredRecord[]> {
    const records: StoredRecord[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'pk' },
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) records.push(fromItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  /**
   * Reads the chain's newest records and writes the next seq conditionally; a lost race means another writer took
   * that seq, so read again and retry. The newest records double as a duplicate check for quick redeliveries.
   */
  private async appendToChain(
    pk: string,
    entry: AuditEntry,
    eventId: string,
    expiresAt: number,
  ): Promise<AppendResult> {
    const maxAttempts = this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const recent = await this.recentRecords(pk);
      const duplicate = recent.find((item) => item.eventId?.S === eventId);
      if (duplicate) return { pk, seq: Number(duplicate.seq?.N), hash: duplicate.hash?.S ?? '', appended: false };
      const head = recent[0];
      const position = head
        ? { pk, seq: Number(head.seq?.N) + 1, prevHash: this.headHash(head) }
        : { pk, seq: 1, prevHash: genesisHash(pk) };
      const record = buildAuditRecord(entry, eventId, position, expiresAt);
      try {
        await this.options.client.send(
          new PutItemCommand({
            TableName: this.options.tableName,
            Item: toItem(record),
            // The seq slot must be free: whoever loses the race to it re-reads the head and tries the next one.
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { pk, seq: record.seq, hash: record.hash, appended: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
      }
    }
    log.warn('audit chain contended', { pk, attempts: maxAttempts });
    throw new ServiceUnavailable('AUDIT_CHAIN_CONTENDED', 'The audit record could not be appended; retry later');
  }

  /**
   * Runs appends to one chain one after another within this process: its own appends never race each other
   * (a burst in the local runtime or a batch consumer would otherwise mostly collide). Races between processes
   * remain, and the conditional write settles them.
   */
  private oneAtATime<T>(pk: string, work: () => Promise<T>): Promise<T> {
    const run = (this.chainTails.get(pk) ?? Promise.resolve()).then(work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.chainTails.set(pk, tail);
    void tail.then(() => {
      if (this.chainTails.get(pk) === tail) this.chainTails.delete(pk);
    });
    return run;
  }

  /** The head's hash to chain to; a head whose hash field was damaged is chained by its content (and verify flags it). */
  private headHash(head: Item): string {
    const stored = head.hash?.S;
    if (stored && /^[0-9a-f]{64}$/.test(stored)) return stored;
    const record = fromItem(head);
    log.warn('audit chain head has no usable hash', { pk: record.pk, seq: record.seq });
    return recordHash(record);
  }

  private async recentRecords(pk: string): Promise<Item[]> {
    const output = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ScanIndexForward: false,
        Limit: RECENT_RECORDS,
        ConsistentRead: true,
      }),
    );
    return output.Items ?? [];
  }

  private async readMarker(eventId: string): Promise<{ pk: string; seq: number; hash: string } | undefined> {
    const output = await this.options.client.send(
      new GetItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: `${EVENT_MARKER_PREFIX}${eventId}` }, seq: { N: '0' } },
        ConsistentRead: true,
      }),
    );
    const chain = output.Item?.chain?.S;
    const seq = Number(output.Item?.chainSeq?.N);
    return chain && Number.isInteger(seq) ? { pk: chain, seq, hash: output.Item?.hash?.S ?? '' } : undefined;
  }

  /**
   * Records that the event is in the chain, after the chain record: a crash in between leaves no marker, and a
   * redelivery is then caught by the recent-records check (or, after many later appends, reported as
   * `duplicate-event` by the verifier). Written first, it could instead mark an event whose record never landed.
   */
  private async writeMarker(
    eventId: string,
    record: { pk: string; seq: number; hash: string },
    expiresAt: number,
  ): Promise<void> {
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            pk: { S: `${EVENT_MARKER_PREFIX}${eventId}` },
            seq: { N: '0' },
            chain: { S: record.pk },
            chainSeq: { N: String(record.seq) },
            hash: { S: record.hash },
            expiresAt: { N: String(expiresAt) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // A concurrent delivery of the same event wrote it first; theirs points at the same record.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Newest first from an index; the cursor is the index position after the last record returned. */
  private async queryIndex(
    filter: AuditFilter,
    limit: number,
    index: { name: string; key: string; value: string },
    cursor: Extract<AuditCursor, { kind: 'index' }> | undefined,
  ): Promise<AuditPage> {
    const conditions = filterConditions(filter, { range: false, userId: index.key !== 'userId' });
    const indexKeyOf = (position: { pk: string; seq: number; atId: string }): Item => ({
      pk: { S: position.pk },
      seq: { N: String(position.seq) },
      [index.key]: { S: index.value },
      atId: { S: position.atId },
    });
    const records: AuditRecord[] = [];
    let unreadable = 0;
    let startKey = cursor ? indexKeyOf(cursor) : undefined;
    for (let reads = 0; records.length + unreadable < limit && reads < MAX_READS_PER_PAGE; reads++) {
      const output = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          IndexName: index.name,
          KeyConditionExpression: '#key = :key AND #atId BETWEEN :from AND :to',
          ...conditions.expression,
          ExpressionAttributeNames: { ...conditions.names, '#key': index.key, '#atId': 'atId' },
          ExpressionAttributeValues: {
            ...conditions.values,
            ':key': { S: index.value },
            ':from': { S: filter.from },
            ':to': { S: filter.to },
          },
          ScanIndexForward: false,
          Limit: Math.max(limit - records.length - unreadable, MIN_READ_BATCH),
          ExclusiveStartKey: startKey,
        }),
      );
      const items = output.Items ?? [];
      const room = limit - records.length - unreadable;
      for (const item of items.slice(0, room)) {
        const parsed = AuditRecord.safeParse(fromItem(item));
        if (parsed.success) records.push(parsed.data);
        else unreadable++;
      }
      const lastUsed = items[room - 1];
      if (items.length > room && lastUsed) {
        startKey = indexKeyOf(positionOf(lastUsed));
        break;
      }
      startKey = output.LastEvaluatedKey;
      if (!startKey) break;
    }
    const next = startKey ? { kind: 'index' as const, ...positionOf(startKey) } : undefined;
    return { records, unreadable, ...(next ? { cursor: next } : {}) };
  }

  /**
   * Walks the range's days newest first; within a day, merges the 16 chains (each read newest seq first) by time,
   * taking from each chain only a prefix so that per-chain positions describe the page boundary exactly. Records
   * delivered late sit at a higher seq than their time suggests, so the order within a day is close to, not
   * exactly, newest first. Every read either buffers matches or moves its chain's position down, and the read
   * budget covers one read per chain, so each page makes progress even when it returns nothing.
   */
  private async queryChains(
    filter: AuditFilter,
    limit: number,
    cursor: Extract<AuditCursor, { kind: 'chains' }> | undefined,
  ): Promise<AuditPage> {
    const days = daysInRange(filter.from, filter.to);
    let dayIndex = cursor ? days.indexOf(cursor.day) : 0;
    if (dayIndex < 0 || (cursor && cursor.below.length !== AUDIT_SHARDS)) throw invalidPageToken();
    const conditions = filterConditions(filter, { range: true, userId: false });
    const batch = Math.max(limit, MIN_READ_BATCH);
    let streams = openStreams(days[dayIndex], cursor?.below);
    const records: AuditRecord[] = [];
    let unreadable = 0;
    let reads = 0;
    page: while (records.length + unreadable < limit) {
      for (const stream of streams) {
        while (stream.buffer.length === 0 && !stream.done) {
          if (reads >= MAX_READS_PER_PAGE) break page;
          await this.readShard(stream, filter, conditions, batch);
          reads++;
        }
      }
      const newest = pickNewest(streams);
      const item = newest?.buffer.shift();
      if (!item) {
        dayIndex++;
        if (dayIndex >= days.length) break;
        streams = openStreams(days[dayIndex]);
        continue;
      }
      const parsed = AuditRecord.safeParse(fromItem(item));
      if (parsed.success) records.push(parsed.data);
      else unreadable++;
    }
    // A day read to its end continues with the next one, so the last page of a range carries no cursor.
    if (dayIndex < days.length && streams.every((stream) => stream.done && stream.buffer.length === 0)) {
      dayIndex++;
      streams = openStreams(days[dayIndex]);
    }
    const day = days[dayIndex];
    if (day === undefined) return { records, unreadable };
    const below = streams.map((stream) => {
      const first = stream.buffer[0];
      if (first) return Number(first.seq?.N) + 1;
      return stream.done ? 0 : stream.below;
    });
    return { records, unreadable, cursor: { kind: 'chains', day, below } };
  }

  private async readShard(
    stream: ShardStream,
    filter: AuditFilter,
    conditions: FilterConditions,
    batch: number,
  ): Promise<void> {
    const output = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: stream.below === null ? '#pk = :pk' : '#pk = :pk AND #seq < :below',
        ...conditions.expression,
        ExpressionAttributeNames: {
          ...conditions.names,
          '#pk': 'pk',
          ...(stream.below === null ? {} : { '#seq': 'seq' }),
        },
        ExpressionAttributeValues: {
          ...conditions.values,
          ':pk': { S: stream.pk },
          ...(stream.below === null ? {} : { ':below': { N: String(stream.below) } }),
          ':from': { S: filter.from },
          ':to': { S: filter.to },
        },
        ScanIndexForward: false,
        Limit: batch,
      }),
    );
    stream.buffer.push(...(output.Items ?? []));
    const lastSeq = output.LastEvaluatedKey?.seq?.N;
    if (lastSeq === undefined) stream.done = true;
    else stream.below = Number(lastSeq);
  }
}

interface FilterConditions {
  readonly expression: Pick<QueryCommandInput, 'FilterExpression'>;
  readonly names: Record<string, string>;
  readonly values: Item;
}

/** The FilterExpression for the filter fields that the key condition does not already cover. */
function filterConditions(filter: AuditFilter, include: { range: boolean; userId: boolean }): FilterConditions {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Item = {};
  const equals = (field: string, value: string | undefined) => {
    if (value === undefined) return;
    clauses.push(`#f_${field} = :f_${field}`);
    names[`#f_${field}`] = field;
    values[`:f_${field}`] = { S: value };
  };
  if (include.range) {
    // Bare instants bound `at#eventId` values: one at `from` sorts after it, one at `to` after `to`, so [from, to).
    clauses.push('#f_atId BETWEEN :from AND :to');
    names['#f_atId'] = 'atId';
  }
  equals('action', filter.action);
  equals('outcome', filter.outcome);
  // With both a user and a patient scope, the scope's index serves the query and the user is filtered.
  if (include.userId) equals('userId', filter.userId);
  return {
    expression: clauses.length > 0 ? { FilterExpression: clauses.join(' AND ') } : {},
    names,
    values,
  };
}

function openStreams(day: string | undefined, below?: readonly (number | null)[]): ShardStream[] {
  if (day === undefined) return [];
  return Array.from({ length: AUDIT_SHARDS }, (_, shard) => {
    const position = below?.[shard] ?? null;
    return {
      pk: chainPartition(day, String(shard).padStart(2, '0')),
      below: position === 0 ? null : position,
      buffer: [],
      done: position === 0,
    };
  });
}

function pickNewest(streams: readonly ShardStream[]): ShardStream | undefined {
  let newest: ShardStream | undefined;
  let newestAtId = '';
  for (const stream of streams) {
    const head = stream.buffer[0];
    if (!head) continue;
    const atId = head.atId?.S ?? '';
    if (!newest || atId > newestAtId) {
      newest = stream;
      newestAtId = atId;
    }
  }
  return newest;
}

function positionOf(key: Item): { pk: string; seq: number; atId: string } {
  const pk = key.pk?.S;
  const seq = Number(key.seq?.N);
  const atId = key.atId?.S;
  if (pk === undefined || atId === undefined || !Number.isInteger(seq)) throw new Error('Index key is incomplete');
  return { pk, seq, atId };
}

function toItem(record: Readonly<Record<string, unknown>>): Item {
  const item: Item = {};
  for (const [field, value] of Object.entries(record)) {
    if (value !== undefined) item[field] = toAttribute(value);
  }
  return item;
}

function toAttribute(value: unknown): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  if (typeof value === 'object') return { M: toItem(value as Readonly<Record<string, unknown>>) };
  throw new TypeError('An audit record holds only JSON values');
}

/** The item as JSON, attribute for attribute; types a record never uses are kept tagged, so hashes expose them. */
function fromItem(item: Item): StoredRecord {
  const fields: Record<string, JsonValue> = {};
  for (const [field, value] of Object.entries(item)) fields[field] = fromAttribute(value);
  return { ...fields, pk: item.pk?.S ?? '', seq: Number(item.seq?.N ?? Number.NaN) };
}

function fromAttribute(value: AttributeValue): JsonValue {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) {
    const number = Number(value.N);
    return Number.isFinite(number) ? number : { $N: value.N };
  }
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(fromAttribute);
  if (value.M !== undefined) {
    const map: Record<string, JsonValue> = {};
    for (const [key, member] of Object.entries(value.M)) map[key] = fromAttribute(member);
    return map;
  }
  if (value.SS !== undefined) return { $SS: value.SS };
  if (value.NS !== undefined) return { $NS: value.NS };
  if (value.B !== undefined) return { $B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { $BS: value.BS.map((bytes) => Buffer.from(bytes).toString('base64')) };
  return { $unknown: true };
}
