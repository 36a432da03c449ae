/**
 * DraftStore on DynamoDB: one item per draft, every change a conditional put on the stored version (no
 * transactions, so the same code runs on dynalite). The table is encrypted with the app CMK, and what it holds is
 * tokenized; the record is kept whole, gzipped (DynamoDB items stop at 400 KB), and validated by its schema on read.
 *
 *   draftId (pk)   status   version   queue (byQueue pk)       queuedAt (byQueue sk)     expiresAt (TTL)   record (B)
 *
 * `queue` is `<status>#<useCase>`: a reviewer's queue is one query per use case they may review.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { DraftRecord } from '../../drafts/draft.ts';
import { PayloadTooLarge } from '../../errors/domain-errors.ts';
import type { Clock } from '../../ports/clock.ts';
import {
  DraftAlreadyExists,
  type DraftQueueQuery,
  type DraftStore,
  type NewDraft,
  queuePosition,
  StaleDraftVersion,
} from '../../ports/draft-store.ts';

export const DRAFT_QUEUE_INDEX = 'byQueue';
/** Room below DynamoDB's 400 KB item limit for the indexed attributes and names. */
const MAX_RECORD_BYTES = 380_000;

type Item = Record<string, AttributeValue>;

export interface DynamoDbDraftStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly clock: Clock;
  /** Needed only to create drafts; readers and reviewers keep the expiry a draft was created with. */
  readonly retentionDays?: number;
}

// `status` and `version` are reserved words in DynamoDB expressions: always go through names.
const NAMES = { '#draftId': 'draftId', '#version': 'version' } as const;

export class DraftTooLarge extends PayloadTooLarge {
  constructor() {
    super('DRAFT_TOO_LARGE', 'The draft is too large to store; send fewer or shorter sources');
  }
}

export class DynamoDbDraftStore implements DraftStore {
  readonly name = 'DynamoDbDraftStore';

  constructor(private readonly options: DynamoDbDraftStoreOptions) {}

  async create(newDraft: NewDraft): Promise<DraftRecord> {
    const { retentionDays } = this.options;
    // Only the request function creates drafts, and its `drafts:retain` capability always sets the retention.
    if (retentionDays === undefined) throw new Error('The draft store was built without a retention period');
    const draft: DraftRecord = {
      ...newDraft,
      expiresAt: Math.floor(this.options.clock.now().getTime() / 1000) + retentionDays * 86_400,
    };
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: toItem(draft),
          ConditionExpression: 'attribute_not_exists(#draftId)',
          ExpressionAttributeNames: { '#draftId': NAMES['#draftId'] },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new DraftAlreadyExists();
      throw error;
    }
    return draft;
  }

  async get(draftId: string): Promise<DraftRecord | undefined> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: { draftId: { S: draftId } }, ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async replace(draft: DraftRecord, expectedVersion: number): Promise<void> {
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: toItem(draft),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': NAMES['#version'] },
          ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new StaleDraftVersion();
      throw error;
    }
  }

  async listByStatus(query: DraftQueueQuery): Promise<DraftRecord[]> {
    const { after, before } = query;
    const range =
      after !== undefined && before !== undefined
        ? ' AND #queuedAt BETWEEN :after AND :before'
        : after !== undefined
          ? ' AND #queuedAt > :after'
          : before !== undefined
            ? ' AND #queuedAt < :before'
            : '';
    const drafts: DraftRecord[] = [];
    for (const useCase of query.useCases) {
      let startKey: Item | undefined;
      let found = 0;
      do {
        const page = await this.options.client.send(
          new QueryCommand({
            TableName: this.options.tableName,
            IndexName: DRAFT_QUEUE_INDEX,
            KeyConditionExpression: `#queue = :queue${range}`,
            ExpressionAttributeNames: { '#queue': 'queue', ...(range ? { '#queuedAt': 'queuedAt' } : {}) },
            ExpressionAttributeValues: {
              ':queue': { S: `${query.status}#${useCase}` },
              ...(after !== undefined ? { ':after': { S: after } } : {}),
              ...(before !== undefined ? { ':before': { S: before } } : {}),
            },
            Limit: query.limit,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const draft = fromItem(item);
          const position = queuePosition(draft);
          // The index is eventually consistent: an item can still carry its previous status for a moment.
          // BETWEEN is inclusive; the bounds are not.
          if (draft.status !== query.status || position === after || position === before) continue;
          drafts.push(draft);
          found += 1;
        }
        // The oldest `limit` of each use case are enough for the oldest `limit` of all.
        startKey = found < query.limit ? page.LastEvaluatedKey : undefined;
      } while (startKey);
    }
    return drafts.sort((a, b) => queuePosition(a).localeCompare(queuePosition(b))).slice(0, query.limit);
  }
}

function toItem(draft: DraftRecord): Item {
  const record = gzipSync(Buffer.from(JSON.stringify(DraftRecord.parse(draft)), 'utf8'));
  if (record.byteLength > MAX_RECORD_BYTES) throw new DraftTooLarge();
  return {
    draftId: { S: draft.draftId },
    status: { S: draft.status },
    version: { N: String(draft.version) },
    queue: { S: `${draft.status}#${draft.useCase}` },
    queuedAt: { S: queuePosition(draft) },
    expiresAt: { N: String(draft.expiresAt) },
    record: { B: record },
  };
}

/** The stored record, validated: an item that fails its schema is an error, never a silently permissive value. */
function fromItem(item: Item): DraftRecord {
  const bytes = item.record?.B;
  if (!bytes) throw new Error('A draft item has no record');
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(bytes).toString('utf8'));
  } catch {
    throw new Error('A draft item record cannot be decoded');
  }
  const parsed = DraftRecord.safeParse(json);
  if (!parsed.success) throw new Error('A draft item does not match its schema');
  return parsed.data;
}
