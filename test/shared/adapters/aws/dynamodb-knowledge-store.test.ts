import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbKnowledgeStore, PENDING_LEASE_MS } from '../../../../shared/adapters/aws/dynamodb-knowledge-store.ts';
import { Conflict } from '../../../../shared/errors/domain-errors.ts';
import type { KnowledgeChunk, KnowledgeDocument } from '../../../../shared/knowledge/knowledge-document.ts';
import { type LocalTables, startLocalTables } from '../../../support/local-tables.ts';

const TABLE = 'knowledge';

type Command = Parameters<DynamoDBClient['send']>[0];
const CATALOG_VERSION_KEY = { pk: { S: 'catalog-version' }, sk: { S: 'meta' } };
const isCatalogPut = (command: Command) => command instanceof PutItemCommand && command.input.Item?.pk?.S === 'catalog';
const isCatalogDelete = (command: Command) =>
  command instanceof DeleteItemCommand && command.input.Key?.pk?.S === 'catalog';

const documentOf = (
  documentId: string,
  chunkCount: number,
  overrides: Partial<KnowledgeDocument> = {},
): KnowledgeDocument => ({
  documentId,
  title: `Title of ${documentId}`,
  owner: 'medical-director',
  audience: 'staff',
  effectiveOn: '2026-01-01',
  reviewOn: '2027-01-01',
  version: '1',
  format: 'markdown',
  chunkCount,
  ingestedAt: '2026-03-10T09:00:00.000Z',
  ingestedBy: 'user-42',
  ...overrides,
});

const chunksOf = (document: KnowledgeDocument, label = 'v1'): KnowledgeChunk[] =>
  Array.from({ length: document.chunkCount }, (_, ordinal) => ({
    chunkId: `${document.documentId}:${label}-${ordinal}`,
    documentId: document.documentId,
    title: document.title,
    audience: document.audience,
    version: document.version,
    headingPath: [document.title, `Section ${ordinal}`],
    text: `${label} text of section ${ordinal}.`,
    ordinal,
  }));

describe('DynamoDbKnowledgeStore', () => {
  let tables: LocalTables;
  let now: Date;
  let generations: number;
  const clock = { now: () => now };

  const storeOn = (client: DynamoDBClient) =>
    new DynamoDbKnowledgeStore({ client, tableName: TABLE, clock, newGeneration: () => `gen${++generations}` });

  const rawItems = async (pk?: string) => {
    const { Items = [] } = await tables.client.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }));
    return Items.filter((item) => pk === undefined || item.pk?.S === pk)
      .map((item) => item.sk?.S ?? '')
      .sort();
  };

  const putRawChunk = (documentId: string, generation: string, ordinal: number, writtenAt: string) =>
    tables.client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          pk: { S: `doc#${documentId}` },
          sk: { S: `chunk#${generation}#${String(ordinal).padStart(6, '0')}` },
          generation: { S: generation },
          writtenAt: { S: writtenAt },
          chunkId: { S: `${documentId}:orphan-${ordinal}` },
          headingPath: { L: [{ S: 'Orphan' }] },
          text: { S: 'orphan text' },
          ordinal: { N: String(ordinal) },
        },
      }),
    );

  /** The pending markers on the catalog-version item, by attribute name. */
  const pendingMarkers = async () => {
    const { Item = {} } = await tables.client.send(
      new GetItemCommand({ TableName: TABLE, Key: CATALOG_VERSION_KEY, ConsistentRead: true }),
    );
    return Object.keys(Item)
      .filter((name) => name.startsWith('pending_'))
      .sort();
  };

  /** The test client, with `before` called on every command before it is sent: it may throw or wait. */
  const intercepted = (before: (command: Command) => Promise<void> | void) =>
    new Proxy(tables.client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: Command) => {
          await before(command);
          return target.send(command as never);
        };
      },
    });

  /** A writer's process dying (a Lambda timeout): the command `fatal` matches and every later one fail. */
  const dying = (fatal: (command: Command) => boolean) => {
    let dead = false;
    return intercepted((command) => {
      dead ||= fatal(command);
      if (dead) throw new Error('simulated crash');
    });
  };

  beforeAll(async () => {
    tables = await startLocalTables();
  });
  afterAll(async () => tables?.close());

  beforeEach(async () => {
    now = new Date('2026-03-10T09:00:00Z');
    generations = 0;
    const { Items = [] } = await tables.client.send(new ScanCommand({ TableName: TABLE }));
    for (const item of Items) {
      await tables.client.send(
        new DeleteItemCommand({ TableName: TABLE, Key: { pk: item.pk ?? { S: '' }, sk: item.sk ?? { S: '' } } }),
      );
    }
  });

  it('stores a document and its chunks and reads them back, chunks in order with the document’s metadata', async () => {
    const store = storeOn(tables.client);
    const refills = documentOf('refills', 3, { audience: 'public', version: '7' });
    await store.putDocument(refills, chunksOf(refills));

    expect(await store.getDocument('refills')).toEqual(refills);
    expect(await store.getDocument('unknown')).toBeUndefined();
    expect(await store.listDocuments()).toEqual([refills]);
    expect(await store.listChunks()).toEqual(chunksOf(refills));
    expect(await rawItems('doc#refills')).toEqual([
      'chunk#gen1#000000',
      'chunk#gen1#000001',
      'chunk#gen1#000002',
      'meta',
    ]);
    expect(await rawItems('catalog')).toEqual(['refills']);
  });

  it('keeps each chunk’s embedding beside it, byte for byte', async () => {
    const store = storeOn(tables.client);
    const refills = documentOf('refills', 2);
    const vector = Float32Array.of(0.25, -1.5, 3.0e-8, 42);
    const [first, second] = chunksOf(refills) as [KnowledgeChunk, KnowledgeChunk];
    await store.putDocument(refills, [{ ...first, embedding: { model: 'titan/4', vector } }, second]);

    const [readFirst, readSecond] = await store.listChunks();
    expect(readFirst?.embedding?.model).toBe('titan/4');
    expect([...(readFirst?.embedding?.vector ?? [])]).toEqual([...vector]);
    expect(readSecond).toEqual(second);
  });

  it('saves vectors onto the current chunks by id, skipping chunks that are no longer stored', async () => {
    const store = storeOn(tables.client);
    const refills = documentOf('refills', 2);
    const [first, second] = chunksOf(refills) as [KnowledgeChunk, KnowledgeChunk];
    await store.putDocument(refills, [first, second]);
    const versionBefore = await store.catalogVersion();
    const vector = Float32Array.of(0.5, -0.25);

    const saved = await store.saveEmbeddings('refills', [
      { ...first, embedding: { model: 'titan/2', vector } },
      // Same ordinal, other text: the chunk id no longer matches, so the vector must not land on the stored text.
      { ...second, chunkId: 'refills:stale-1', embedding: { model: 'titan/2', vector } },
    ]);

    expect(saved).toBe(1);
    const [readFirst, readSecond] = await store.listChunks();
    expect(readFirst?.embedding?.model).toBe('titan/2');
    expect([...(readFirst?.embedding?.vector ?? [])]).toEqual([...vector]);
    expect(readSecond).toEqual(second);
    expect(await store.catalogVersion()).toBe(versionBefore);
  });

  it('saves nothing, and creates no item, for a document replaced or deleted in the meantime', async () => {
    const store = storeOn(tables.client);
    const refills = documentOf('refills', 1);
    const [old] = chunksOf(refills, 'v1') as [KnowledgeChunk];
    await store.putDocument(refills, [old]);
    await store.putDocument(refills, chunksOf(refills, 'v2'));
    const itemsBefore = await rawItems('doc#refills');

    const withVector = { ...old, embedding: { model: 'titan/2', vector: Float32Array.of(1, 0) } };
    expect(await store.saveEmbeddings('refills', [withVector])).toBe(0);
    expect(await rawItems('doc#refills')).toEqual(itemsBefore);
    await store.deleteDocument('refills');
    expect(await store.saveEmbeddings('refills', [withVector])).toBe(0);
    expect(await rawItems('doc#refills')).toEqual([]);
  });

  it('reads a chunk whose stored vector is damaged without its vector, so it is embedded again', async () => {
    const store = storeOn(tables.client);
    const refills = documentOf('refills', 1);
    const [only] = chunksOf(refills) as [KnowledgeChunk];
    await store.putDocument(refills, [{ ...only, embedding: { model: 'titan/4', vector: Float32Array.of(1, 2) } }]);
    const { Items = [] } = await tables.client.send(new ScanCommand({ TableName: TABLE }));
    const stored = Items.find((item) => item.embedding !== undefined);
    if (!stored) throw new Error('no chunk item with an embedding');
    await tables.client.send(
      new PutItemCommand({ TableName: TABLE, Item: { ...stored, embedding: { B: Uint8Array.of(1, 2, 3, 4, 5) } } }),
    );

    const [read] = await store.listChunks();
    expect(read).toEqual(only);
    expect(read).not.toHaveProperty('embedding');
  });

  it('changes the catalog version on every put and delete, and only then', async () => {
    const store = storeOn(tables.client);
    const before = await store.catalogVersion();
    const refills = documentOf('refills', 1);
    await store.putDocument(refills, chunksOf(refills));
    const afterPut = await store.catalogVersion();
    expect(afterPut).not.toBe(before);
    expect(await store.catalogVersion()).toBe(afterPut);
    await store.listChunks();
    expect(await store.catalogVersion()).toBe(afterPut);
    expect(await pendingMarkers()).toEqual([]);
    await store.deleteDocument('refills');
    expect(await store.catalogVersion()).not.toBe(afterPut);
    expect(await pendingMarkers()).toEqual([]);
  });

  it.each([
    {
      writer: 'put',
      fatal: isCatalogPut,
      write: (store: DynamoDbKnowledgeStore) =>
        store.putDocument(documentOf('refills', 1, { version: '2' }), chunksOf(documentOf('refills', 1), 'v2')),
      changed: { version: '2' },
    },
    {
      writer: 'delete',
      fatal: isCatalogDelete,
      write: (store: DynamoDbKnowledgeStore) => store.deleteDocument('refills'),
      changed: undefined,
    },
  ])(
    'announces a change whose $writer writer died after making it, once the pending lease passes',
    async ({ fatal, write, changed }) => {
      // Prepare: a stored document, and a writer that dies after changing its meta item, before finishing.
      const store = storeOn(tables.client);
      const refills = documentOf('refills', 1);
      await store.putDocument(refills, chunksOf(refills));
      const started = now.getTime();

      // Act
      await expect(write(storeOn(dying(fatal)))).rejects.toThrow('simulated crash');

      // Assess: the change is visible, but until the lease passes nothing announces it.
      expect(await store.getDocument('refills')).toEqual(changed && expect.objectContaining(changed));
      expect(await pendingMarkers()).toHaveLength(1);
      const unannounced = await store.catalogVersion();
      now = new Date(started + PENDING_LEASE_MS - 1);
      expect(await store.catalogVersion()).toBe(unannounced);
      now = new Date(started + PENDING_LEASE_MS);
      const announced = await store.catalogVersion();
      expect(announced).not.toBe(unannounced);
      // Stable, and the same for every reader, so each cache rebuilds once.
      expect(await store.catalogVersion()).toBe(announced);
      expect(await storeOn(tables.client).catalogVersion()).toBe(announced);
      // The next write clears the dead writer's marker.
      const hours = documentOf('hours', 1);
      await store.putDocument(hours, chunksOf(hours));
      expect(await pendingMarkers()).toEqual([]);
      expect(await store.catalogVersion()).not.toBe(announced);
    },
  );

  it('removes its pending marker and announces the change when a write throws but the writer lives on', async () => {
    const store = storeOn(tables.client);
    const refills = documentOf('refills', 1);
    await store.putDocument(refills, chunksOf(refills));
    const before = await store.catalogVersion();
    let throttled = false;
    const throttling = intercepted((command) => {
      if (isCatalogPut(command) && !throttled) {
        throttled = true;
        throw new Error('throttled');
      }
    });
    const second = documentOf('refills', 1, { version: '2' });

    await expect(storeOn(throttling).putDocument(second, chunksOf(second, 'v2'))).rejects.toThrow('throttled');

    expect(await store.getDocument('refills')).toEqual(second);
    expect(await pendingMarkers()).toEqual([]);
    expect(await store.catalogVersion()).not.toBe(before);
  });

  it('keeps a slower writer’s pending marker when an overlapping writer finishes first', async () => {
    // Prepare: the slow writer stops just before writing its catalog item, after swapping its meta item.
    let reachCatalog = () => {};
    const atCatalog = new Promise<void>((resolve) => {
      reachCatalog = resolve;
    });
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = storeOn(
      intercepted(async (command) => {
        if (!isCatalogPut(command)) return;
        reachCatalog();
        await released;
      }),
    );
    const refills = documentOf('refills', 1);
    const slowWrite = slow.putDocument(refills, chunksOf(refills));
    await atCatalog;
    const slowMarkers = await pendingMarkers();
    expect(slowMarkers).toHaveLength(1);

    // Act: a fast writer starts and finishes meanwhile.
    const fast = storeOn(tables.client);
    const hours = documentOf('hours', 1);
    await fast.putDocument(hours, chunksOf(hours));

    // Assess: only the fast writer's marker is gone; the slow one announces its own change when it finishes.
    expect(await pendingMarkers()).toEqual(slowMarkers);
    const whileSlowPending = await fast.catalogVersion();
    release();
    await slowWrite;
    expect(await pendingMarkers()).toEqual([]);
    expect(await fast.catalogVersion()).not.toBe(whileSlowPending);
  });

  it('clears only expired pending markers when a writer finishes, never a live writer’s', async () => {
    const markedAt = (ageMs: number) => ({ S: new Date(now.getTime() - ageMs).toISOString() });
    await tables.client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: CATALOG_VERSION_KEY,
        UpdateExpression:
          'SET version = :version, pending_dead = :dead, pending_garbled = :garbled, pending_live = :live',
        ExpressionAttributeValues: {
          ':version': { S: 'v0' },
          ':dead': markedAt(PENDING_LEASE_MS + 60_000),
          ':garbled': { S: 'not a time' },
          ':live': markedAt(60_000),
        },
      }),
    );
    const store = storeOn(tables.client);
    expect(await store.catalogVersion()).toBe('v0+pending_dead+pending_garbled');

    const refills = documentOf('refills', 1);
    await store.putDocument(refills, chunksOf(refills));

    expect(await pendingMarkers()).toEqual(['pending_live']);
  });

  it('lists documents with one query of the catalog, never a scan of the chunks', async () => {
    const sent: string[] = [];
    const recording = new Proxy(tables.client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return (command: Parameters<DynamoDBClient['send']>[0]) => {
          sent.push(command.constructor.name);
          return target.send(command as never);
        };
      },
    });
    const store = storeOn(recording);
    const hours = documentOf('hours', 1);
    const meta = documentOf('meta', 1);
    await store.putDocument(hours, chunksOf(hours));
    await store.putDocument(meta, chunksOf(meta));
    sent.length = 0;

    expect(await store.listDocuments()).toEqual([hours, meta]);
    expect(sent).toEqual(['QueryCommand']);
    // A document may even be called "meta" without confusing the chunk listing.
    expect(await store.listChunks()).toEqual([...chunksOf(hours), ...chunksOf(meta)]);
  });

  it('writes and lists documents with more chunks than one batch holds', async () => {
    const store = storeOn(tables.client);
    const large = documentOf('large', 60);
    const small = documentOf('a-small', 1);
    await store.putDocument(large, chunksOf(large));
    await store.putDocument(small, chunksOf(small));
    const listed = await store.listChunks();
    expect(listed).toEqual([...chunksOf(small), ...chunksOf(large)]);
    expect((await store.listDocuments()).map((document) => document.documentId)).toEqual(['a-small', 'large']);
  });

  it('replaces a document on re-ingest and leaves no chunk of the old generation behind', async () => {
    const store = storeOn(tables.client);
    const first = documentOf('refills', 3);
    await store.putDocument(first, chunksOf(first, 'v1'));
    const second = documentOf('refills', 2, { version: '2', ingestedAt: '2026-03-11T09:00:00.000Z' });
    await store.putDocument(second, chunksOf(second, 'v2'));

    expect(await store.getDocument('refills')).toEqual(second);
    expect(await store.listChunks()).toEqual(chunksOf(second, 'v2'));
    expect(await rawItems('doc#refills')).toEqual(['chunk#gen2#000000', 'chunk#gen2#000001', 'meta']);
    expect(await store.listDocuments()).toEqual([second]);
  });

  it('deletes a document and all its chunks, and reports whether it existed', async () => {
    const store = storeOn(tables.client);
    const refills = documentOf('refills', 2);
    const hours = documentOf('hours', 1);
    await store.putDocument(refills, chunksOf(refills));
    await store.putDocument(hours, chunksOf(hours));

    expect(await store.deleteDocument('refills')).toBe(true);
    expect(await store.deleteDocument('refills')).toBe(false);
    expect(await store.getDocument('refills')).toBeUndefined();
    expect(await rawItems('doc#refills')).toEqual([]);
    expect(await rawItems('catalog')).toEqual(['hours']);
    expect(await store.listDocuments()).toEqual([hours]);
    expect(await store.listChunks()).toEqual(chunksOf(hours));
  });

  it('lists only chunks of each document’s current generation, ignoring a writer’s unfinished one', async () => {
    const store = storeOn(tables.client);
    const refills = documentOf('refills', 2);
    await store.putDocument(refills, chunksOf(refills));
    // Another writer has written its chunks but not yet swapped the meta item; and chunks with no document at all.
    await putRawChunk('refills', 'inflight', 0, now.toISOString());
    await putRawChunk('refills', 'inflight', 5, now.toISOString());
    await putRawChunk('ghost', 'gen9', 0, now.toISOString());

    expect(await store.listChunks()).toEqual(chunksOf(refills));
  });

  it('sweeps orphaned generations once they are old enough never to belong to a live writer', async () => {
    const store = storeOn(tables.client);
    const refills = documentOf('refills', 1);
    await putRawChunk('refills', 'crashed', 0, '2026-03-10T07:00:00.000Z');
    await putRawChunk('refills', 'inflight', 0, '2026-03-10T08:59:00.000Z');

    await store.putDocument(refills, chunksOf(refills));

    expect(await rawItems('doc#refills')).toEqual(['chunk#gen1#000000', 'chunk#inflight#000000', 'meta']);
  });

  it('lets only one of two concurrent re-ingests win; the loser cleans up its chunks and fails with Conflict', async () => {
    const refills = documentOf('refills', 2);
    await storeOn(tables.client).putDocument(refills, chunksOf(refills, 'v1'));
    // Between the loser reading the meta item and swapping it, a concurrent writer swaps it first.
    let raced = false;
    const racing = new Proxy(tables.client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver);
        return async (command: Parameters<DynamoDBClient['send']>[0]) => {
          if (command instanceof BatchWriteItemCommand && !raced) {
            raced = true;
            await target.send(
              new PutItemCommand({
                TableName: TABLE,
                Item: {
                  pk: { S: 'doc#refills' },
                  sk: { S: 'meta' },
                  generation: { S: 'winner' },
                  record: { M: { documentId: { S: 'refills' } } },
                },
              }),
            );
          }
          return target.send(command as never);
        };
      },
    });
    const loser = storeOn(racing);
    const second = documentOf('refills', 2, { version: '2' });

    await expect(loser.putDocument(second, chunksOf(second, 'v2'))).rejects.toBeInstanceOf(Conflict);

    const remaining = await rawItems('doc#refills');
    expect(remaining.filter((sk) => sk.startsWith('chunk#gen2#'))).toEqual([]);
    expect(remaining).toContain('meta');
    expect(await pendingMarkers()).toEqual([]);
  });

  it('re-reads a document whose chunk count does not match, and fails loudly rather than return part of it', async () => {
    const store = storeOn(tables.client);
    const refills = documentOf('refills', 3);
    await store.putDocument(refills, chunksOf(refills));
    const { Items = [] } = await tables.client.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': { S: 'doc#refills' }, ':sk': { S: 'chunk#gen1#000001' } },
      }),
    );
    expect(Items).toHaveLength(1);
    await tables.client.send(
      new DeleteItemCommand({ TableName: TABLE, Key: { pk: { S: 'doc#refills' }, sk: { S: 'chunk#gen1#000001' } } }),
    );

    await expect(store.listChunks()).rejects.toThrow('kept changing');
  });

  it('refuses chunks that do not belong to the document or do not match its chunk count', async () => {
    const store = storeOn(tables.client);
    const refills = documentOf('refills', 2);
    await expect(store.putDocument(refills, chunksOf(refills).slice(0, 1))).rejects.toThrow(RangeError);
    await expect(store.putDocument(refills, chunksOf(documentOf('other', 2)))).rejects.toThrow(RangeError);
    expect(await rawItems()).toEqual([]);
  });
});
