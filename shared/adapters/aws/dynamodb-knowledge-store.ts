/**
 * KnowledgeStore on DynamoDB, single-item writes only (no transactions, so the same code runs on dynalite).
 *
 *   pk                 sk                                  attributes
 *   doc#<documentId>   meta                                generation, record (the KnowledgeDocument)
 *   doc#<documentId>   chunk#<generation>#<ordinal 000000>  generation, writtenAt, chunkId, headingPath, text, ordinal
 *   catalog            <documentId>                        generation, record (a copy of the meta item, for listing)
 *
 * A document's chunks are written under a fresh random generation, and the meta item names the generation that
 * is current: readers follow the meta item and ignore every other generation, so a re-ingest never shows a mix
 * of old and new chunks, nor a half-written document. Title, audience and version are kept once, on the meta item.
 * The catalog partition lets listDocuments read a few hundred small items with one query instead of scanning every
 * chunk; it is written after the meta item and rewritten on every put, so a crash in between heals on the next one.
 *
 * Index caches rebuild when catalogVersion changes, so a writer that dies after its change must not leave it
 * unannounced: before changing anything, each put or delete sets its own top-level `pending_<writerId>` = start
 * time (and a new version) on the catalog-version item; when it finishes, even by throwing, it removes that
 * marker and sets a new version. A marker older than PENDING_LEASE_MS belongs to a writer that died, and
 * catalogVersion folds such markers into the value it returns, so caches rebuild once the lease passes; the next
 * write removes them. Readers never write: the search, ask and FAQ functions hold read-only grants on this table.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { Conflict } from '../../errors/domain-errors.ts';
import {
  type KnowledgeChunk,
  type KnowledgeDocument,
  KnowledgeDocumentFields,
} from '../../knowledge/knowledge-document.ts';
import { type Clock, systemClock } from '../../ports/clock.ts';
import type { KnowledgeStore } from '../../ports/knowledge-store.ts';

export interface DynamoDbKnowledgeStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly clock?: Clock;
  /** Injected for tests; random by default. */
  readonly newGeneration?: () => string;
}

type Item = Record<string, AttributeValue>;

const META = 'meta';
const CATALOG = 'catalog';
/** One item whose `version` changes on every put or delete, so index caches check freshness with one GetItem. */
const CATALOG_VERSION_KEY = { pk: { S: 'catalog-version' }, sk: { S: META } };
/**
 * A writer's marker on the catalog-version item. Top-level attributes, one per writer, because an update of a
 * path inside a map fails while the map does not exist, and so that one writer finishing never hides another.
 */
const PENDING_PREFIX = 'pending_';
/**
 * A pending marker this old belongs to a writer that died (a Lambda stops at 15 minutes): its change may be
 * unannounced, so catalogVersion reports a different value. This bounds how long a cache can stay stale.
 */
export const PENDING_LEASE_MS = 20 * 60 * 1000;
const CHUNK_PREFIX = 'chunk#';
/** BatchWriteItem's limit per request. */
const BATCH_SIZE = 25;
const MAX_BATCH_ATTEMPTS = 8;
/**
 * Chunks of a generation that never became current (a writer that crashed between writing chunks and swapping the
 * meta item) are swept once older than this: far longer than any ingest can run (a Lambda stops at 15 minutes),
 * so a writer still in progress never loses its chunks.
 */
const ORPHAN_AGE_MS = 60 * 60 * 1000;
/** listChunks re-reads a document that changed while it was being scanned at most this many times. */
const MAX_REREADS = 3;

const StoredDocument = KnowledgeDocumentFields.omit({ content: true }).extend({
  chunkCount: z.number().int().nonnegative(),
  ingestedAt: z.string(),
  ingestedBy: z.string(),
});

const StoredChunk = z.object({
  generation: z.string(),
  chunkId: z.string(),
  headingPath: z.array(z.string()),
  text: z.string(),
  ordinal: z.number().int().nonnegative(),
  embedding: z.object({ model: z.string(), vector: z.instanceof(Float32Array) }).optional(),
});
type StoredChunk = z.infer<typeof StoredChunk>;

interface Meta {
  readonly generation: string;
  readonly document: KnowledgeDocument;
}

const DOCUMENT_PREFIX = 'doc#';
const partitionOf = (documentId: string) => `${DOCUMENT_PREFIX}${documentId}`;
const chunkPrefix = (generation: string) => `${CHUNK_PREFIX}${generation}#`;

export class DynamoDbKnowledgeStore implements KnowledgeStore {
  readonly name = 'DynamoDbKnowledgeStore';
  private readonly clock: Clock;
  private readonly newGeneration: () => string;

  constructor(private readonly options: DynamoDbKnowledgeStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.newGeneration = options.newGeneration ?? (() => randomBytes(8).toString('hex'));
  }

  /**
   * Order matters, because a reader follows the meta item's generation:
   *   1. write every new chunk under a new generation (invisible: no meta item names it yet);
   *   2. swap the meta item to the new generation, on condition it still names the one read before (or none), so
   *      of two concurrent re-ingests one wins and the other cleans up and fails with Conflict;
   *   3. delete the old generation's chunks (invisible since step 2).
   * A crash after 1 leaves unreferenced chunks (swept later); after 2, stale but unreferenced chunks (swept by the
   * next write or delete of the document). Readers never see a mix or a partial document.
   */
  async putDocument(document: KnowledgeDocument, chunks: readonly KnowledgeChunk[]): Promise<void> {
    if (chunks.some((chunk) => chunk.documentId !== document.documentId) || chunks.length !== document.chunkCount) {
      throw new RangeError('the chunks must be exactly the document chunks');
    }
    const pk = partitionOf(document.documentId);
    const { current, superseded } = await this.whilePending(async () => {
      const previous = await this.readMeta(pk);
      const generation = this.newGeneration();
      const writtenAt = this.clock.now().toISOString();
      await this.batchWrite(
        chunks.map((chunk) => ({ PutRequest: { Item: chunkItem(pk, generation, writtenAt, chunk) } })),
      );
      const swapped = await this.conditionalPut(
        { pk: { S: pk }, sk: { S: META }, generation: { S: generation }, record: toAttribute(document) },
        previous?.generation,
      );
      if (!swapped) {
        await this.sweep(pk, { superseded: generation });
        throw new Conflict('DOCUMENT_CHANGED_CONCURRENTLY', 'The document was changed by another request; try again');
      }
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            pk: { S: CATALOG },
            sk: { S: document.documentId },
            generation: { S: generation },
            record: toAttribute(document),
          },
        }),
      );
      return { current: generation, superseded: previous?.generation };
    });
    // Outside the pending window: the old chunks are invisible already, and caches need not wait for them.
    await this.sweep(pk, { current, superseded });
  }

  /**
   * The stored version, with the ids of any expired pending markers appended: every reader derives the same value
   * from the same item, and it changes when a dead writer's lease passes, without the reader writing anything.
   */
  async catalogVersion(): Promise<string> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: CATALOG_VERSION_KEY, ConsistentRead: true }),
    );
    const version = Item?.version?.S ?? 'empty';
    const expired = Item === undefined ? [] : this.expiredMarkers(Item);
    return expired.length === 0 ? version : [version, ...expired].join('+');
  }

  /**
   * Runs a change of the catalog between registering this writer's pending marker and removing it with a new
   * version. When the change throws, its error is the one reported; a marker that could not be removed then
   * expires with its lease. When only the removal fails, that error is thrown: the change is stored but caches may
   * not see it before the lease passes, and a retried put or delete is safe and announces it at once.
   */
  private async whilePending<T>(change: () => Promise<T>): Promise<T> {
    const marker = `${PENDING_PREFIX}${randomBytes(8).toString('hex')}`;
    const { Attributes: seen = {} } = await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: CATALOG_VERSION_KEY,
        UpdateExpression: 'SET #marker = :since, #version = :version',
        ExpressionAttributeNames: { '#marker': marker, '#version': 'version' },
        ExpressionAttributeValues: {
          ':since': { S: this.clock.now().toISOString() },
          ':version': { S: newVersion() },
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    let result: T;
    try {
      result = await change();
    } catch (error) {
      await this.settle(marker, seen).catch(() => undefined);
      throw error;
    }
    await this.settle(marker, seen);
    return result;
  }

  /** Removes this writer's marker, and the expired ones it saw when registering, and sets a new version. */
  private async settle(marker: string, seen: Item): Promise<void> {
    const removed = [marker, ...this.expiredMarkers(seen).filter((name) => name !== marker)];
    const names = Object.fromEntries(removed.map((name, index) => [`#marker${index}`, name]));
    await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: CATALOG_VERSION_KEY,
        UpdateExpression: `SET #version = :version REMOVE ${Object.keys(names).join(', ')}`,
        ExpressionAttributeNames: { ...names, '#version': 'version' },
        ExpressionAttributeValues: { ':version': { S: newVersion() } },
      }),
    );
  }

  /** Pending markers older than the lease, sorted; an unreadable time counts as expired rather than live forever. */
  private expiredMarkers(item: Item): string[] {
    const cutoff = this.clock.now().getTime() - PENDING_LEASE_MS;
    return Object.entries(item)
      .filter(([name, value]) => name.startsWith(PENDING_PREFIX) && !(Date.parse(value.S ?? '') > cutoff))
      .map(([name]) => name)
      .sort();
  }

  /** Deletes the meta item first, so the document disappears at once; its chunks follow. */
  async deleteDocument(documentId: string): Promise<boolean> {
    const pk = partitionOf(documentId);
    const deleted = await this.whilePending(async () => {
      const { Attributes } = await this.options.client.send(
        new DeleteItemCommand({
          TableName: this.options.tableName,
          Key: { pk: { S: pk }, sk: { S: META } },
          ReturnValues: 'ALL_OLD',
        }),
      );
      // Also when the meta item was already gone: a retried delete clears what a crashed one left.
      await this.options.client.send(
        new DeleteItemCommand({
          TableName: this.options.tableName,
          Key: { pk: { S: CATALOG }, sk: { S: documentId } },
        }),
      );
      return Attributes;
    });
    await this.sweep(pk, { superseded: deleted?.generation?.S });
    return deleted !== undefined;
  }

  /**
   * One conditional UpdateItem per chunk of the current generation: the condition on the chunk id (a content hash)
   * means a vector never lands on other text, and never recreates an item a concurrent re-ingest already swept.
   * The catalog version is left alone: indexes already hold these vectors, computed when they were built.
   */
  async saveEmbeddings(documentId: string, chunks: readonly KnowledgeChunk[]): Promise<number> {
    const pk = partitionOf(documentId);
    const meta = await this.readMeta(pk);
    if (meta === undefined) return 0;
    let saved = 0;
    for (const chunk of chunks) {
      if (chunk.documentId !== documentId || chunk.embedding === undefined) continue;
      try {
        await this.options.client.send(
          new UpdateItemCommand({
            TableName: this.options.tableName,
            Key: { pk: { S: pk }, sk: { S: chunkSortKey(meta.generation, chunk.ordinal) } },
            UpdateExpression: 'SET embeddingModel = :model, embedding = :vector',
            ConditionExpression: 'chunkId = :chunkId',
            ExpressionAttributeValues: {
              ':model': { S: chunk.embedding.model },
              ':vector': { B: new Uint8Array(vectorBytes(chunk.embedding.vector)) },
              ':chunkId': { S: chunk.chunkId },
            },
          }),
        );
        saved++;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return saved;
  }

  async getDocument(documentId: string): Promise<KnowledgeDocument | undefined> {
    return (await this.readMeta(partitionOf(documentId)))?.document;
  }

  /** One query of the catalog partition (never a scan of the chunks), in document id order. */
  async listDocuments(): Promise<KnowledgeDocument[]> {
    const documents: KnowledgeDocument[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: '#pk = :catalog',
          ExpressionAttributeNames: { '#pk': 'pk' },
          ExpressionAttributeValues: { ':catalog': { S: CATALOG } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) documents.push(metaOf(item).document);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return documents;
  }

  /**
   * Every chunk of every document's current generation. A document re-ingested while the scan runs can show a
   * generation whose chunks the scan passed before they were written; its chunk count gives it away, and that
   * document is read again meta-first, which is always complete.
   */
  async listChunks(): Promise<KnowledgeChunk[]> {
    const metas = new Map<string, Meta>();
    const stored = new Map<string, StoredChunk[]>();
    await this.scan((item) => {
      const pk = item.pk?.S ?? '';
      if (!pk.startsWith(DOCUMENT_PREFIX)) return;
      if (item.sk?.S === META) metas.set(pk, metaOf(item));
      else if (item.sk?.S?.startsWith(CHUNK_PREFIX)) {
        const list = stored.get(pk) ?? [];
        list.push(chunkOf(item));
        stored.set(pk, list);
      }
    });
    const chunks: KnowledgeChunk[] = [];
    for (const [pk, meta] of metas) {
      let current: Meta | undefined = meta;
      let found = (stored.get(pk) ?? []).filter((chunk) => chunk.generation === meta.generation);
      for (let reread = 0; current !== undefined && found.length !== current.document.chunkCount; reread++) {
        if (reread === MAX_REREADS) throw new Error('A knowledge document kept changing while chunks were listed');
        current = await this.readMeta(pk);
        found = current === undefined ? [] : await this.queryChunks(pk, chunkPrefix(current.generation));
      }
      if (current === undefined) continue;
      for (const chunk of found) chunks.push(toChunk(current.document, chunk));
    }
    return chunks.sort((a, b) => compare(a.documentId, b.documentId) || a.ordinal - b.ordinal);
  }

  private async readMeta(pk: string): Promise<Meta | undefined> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: pk }, sk: { S: META } },
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : metaOf(Item);
  }

  /** Puts the meta item if it still names `expectedGeneration` (or is absent when that is undefined). */
  private async conditionalPut(item: Item, expectedGeneration: string | undefined): Promise<boolean> {
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: item,
          ...(expectedGeneration === undefined
            ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } }
            : {
                ConditionExpression: '#generation = :expected',
                ExpressionAttributeNames: { '#generation': 'generation' },
                ExpressionAttributeValues: { ':expected': { S: expectedGeneration } },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Deletes the chunks of the `superseded` generation, and those of any generation other than `current` that are
   * older than ORPHAN_AGE_MS. Never touches a young generation that is not superseded: it may be a concurrent
   * writer's, about to become current.
   */
  private async sweep(pk: string, generations: { current?: string; superseded?: string | undefined }): Promise<void> {
    const cutoff = new Date(this.clock.now().getTime() - ORPHAN_AGE_MS).toISOString();
    const doomed: WriteRequest[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ProjectionExpression: '#pk, #sk, #generation, writtenAt',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#generation': 'generation' },
          ExpressionAttributeValues: { ':pk': { S: pk }, ':prefix': { S: CHUNK_PREFIX } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const generation = item.generation?.S;
        const orphan = generation !== generations.current && (item.writtenAt?.S ?? '') < cutoff;
        if (generation === generations.superseded || orphan) {
          doomed.push({ DeleteRequest: { Key: { pk: { S: pk }, sk: { S: item.sk?.S ?? '' } } } });
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    await this.batchWrite(doomed);
  }

  private async queryChunks(pk: string, prefix: string): Promise<StoredChunk[]> {
    const chunks: StoredChunk[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: { ':pk': { S: pk }, ':prefix': { S: prefix } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) chunks.push(chunkOf(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return chunks;
  }

  private async scan(onItem: (item: Item) => void): Promise<void> {
    let startKey: Item | undefined;
    do {
      const page = await this.options.client.send(
        new ScanCommand({
          TableName: this.options.tableName,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) onItem(item);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  /** Writes in batches of 25, retrying unprocessed items with exponential backoff. */
  private async batchWrite(requests: readonly WriteRequest[]): Promise<void> {
    for (let start = 0; start < requests.length; start += BATCH_SIZE) {
      let pending: WriteRequest[] = requests.slice(start, start + BATCH_SIZE);
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > MAX_BATCH_ATTEMPTS) throw new Error('DynamoDB left knowledge items unprocessed after retries');
        if (attempt > 1) await delay(Math.min(2_000, 25 * 2 ** attempt) * Math.random());
        const { UnprocessedItems } = await this.options.client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.options.tableName]: pending } }),
        );
        pending = UnprocessedItems?.[this.options.tableName] ?? [];
      }
    }
  }
}

/** Random, so every index cache sees a difference however many writers finish at once. */
function newVersion(): string {
  return randomBytes(8).toString('hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function chunkSortKey(generation: string, ordinal: number): string {
  return `${chunkPrefix(generation)}${String(ordinal).padStart(6, '0')}`;
}

function chunkItem(pk: string, generation: string, writtenAt: string, chunk: KnowledgeChunk): Item {
  return {
    pk: { S: pk },
    sk: { S: chunkSortKey(generation, chunk.ordinal) },
    generation: { S: generation },
    writtenAt: { S: writtenAt },
    chunkId: { S: chunk.chunkId },
    headingPath: { L: chunk.headingPath.map((heading) => ({ S: heading })) },
    text: { S: chunk.text },
    ordinal: { N: String(chunk.ordinal) },
    // Little-endian float32, 2 KB at 512 dimensions: far inside DynamoDB's 400 KB item limit.
    ...(chunk.embedding
      ? {
          embeddingModel: { S: chunk.embedding.model },
          embedding: { B: new Uint8Array(vectorBytes(chunk.embedding.vector)) },
        }
      : {}),
  };
}

/** The vector's bytes in little-endian order, whatever the machine's byte order. */
function vectorBytes(vector: Float32Array): ArrayBuffer {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, index) => {
    view.setFloat32(index * 4, value, true);
  });
  return view.buffer;
}

/** A stored vector, or nothing when it is missing or damaged: the chunk is then simply embedded again. */
function embeddingOf(item: Item): { embedding?: { model: string; vector: Float32Array } } {
  const model = item.embeddingModel?.S;
  const vector = item.embedding?.B ? vectorOf(item.embedding.B) : undefined;
  return model && vector ? { embedding: { model, vector } } : {};
}

function vectorOf(bytes: Uint8Array): Float32Array | undefined {
  if (bytes.byteLength % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, index) => view.getFloat32(index * 4, true));
}

function chunkOf(item: Item): StoredChunk {
  const parsed = StoredChunk.safeParse({
    generation: item.generation?.S,
    chunkId: item.chunkId?.S,
    headingPath: item.headingPath?.L?.map((heading) => heading.S),
    text: item.text?.S,
    ordinal: item.ordinal?.N === undefined ? undefined : Number(item.ordinal.N),
    ...embeddingOf(item),
  });
  if (!parsed.success) throw new Error('A knowledge chunk item does not match its schema');
  return parsed.data;
}

function metaOf(item: Item): Meta {
  const document = StoredDocument.safeParse(item.record === undefined ? undefined : fromAttribute(item.record));
  const generation = item.generation?.S;
  if (!document.success || generation === undefined) {
    throw new Error('A knowledge document item does not match its schema');
  }
  return { generation, document: document.data };
}

function toChunk(document: KnowledgeDocument, chunk: StoredChunk): KnowledgeChunk {
  return {
    chunkId: chunk.chunkId,
    documentId: document.documentId,
    title: document.title,
    audience: document.audience,
    version: document.version,
    headingPath: chunk.headingPath,
    text: chunk.text,
    ordinal: chunk.ordinal,
    ...(chunk.embedding ? { embedding: chunk.embedding } : {}),
  };
}

function toAttribute(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  if (value !== null && typeof value === 'object') {
    const map: Item = {};
    for (const [field, member] of Object.entries(value)) if (member !== undefined) map[field] = toAttribute(member);
    return { M: map };
  }
  throw new TypeError('A knowledge record holds only strings, numbers, booleans, lists and maps');
}

function fromAttribute(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.L !== undefined) return value.L.map(fromAttribute);
  if (value.M !== undefined) {
    const map: Record<string, unknown> = {};
    for (const [field, member] of Object.entries(value.M)) map[field] = fromAttribute(member);
    return map;
  }
  return undefined;
}
