import { createHash } from 'node:crypto';
import { DeleteItemCommand, GetItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbTokenVault } from '../../../../shared/adapters/aws/dynamodb-token-vault.ts';
import { LocalEnvelopeKeys } from '../../../../shared/adapters/local/local-envelope-keys.ts';
import { LocalTokenMac } from '../../../../shared/adapters/local/local-token-mac.ts';
import type { Clock } from '../../../../shared/ports/clock.ts';
import type { TokenMac } from '../../../../shared/ports/token-mac.ts';
import { type LocalTables, startLocalTables } from '../../../support/local-tables.ts';

const masterKey = Buffer.alloc(32, 7);
const macKey = Buffer.alloc(32, 9);
const clock = { now: () => new Date('2026-06-01T12:00:00Z') };
const DAY = 86_400;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** A clock the test moves by whole days. */
const steppedClock = (start: string) => {
  let now = new Date(start);
  return {
    now: () => now,
    advanceDays: (days: number) => {
      now = new Date(now.getTime() + days * DAY * 1000);
    },
  };
};

/** HMAC-like, but the first two distinct messages share their first 30 bits: two values collide on one token. */
const collidingPair = (): TokenMac => {
  const colliding = new Set<string>();
  return {
    name: 'colliding-pair',
    macAll: async (messages) =>
      messages.map((message) => {
        const mac = createHash('sha256').update(message).digest();
        if (colliding.size < 2) colliding.add(message);
        if (colliding.has(message)) mac.fill(0, 0, 4);
        return mac;
      }),
  };
};

describe('DynamoDbTokenVault', () => {
  let tables: LocalTables;
  const vault = (mac: TokenMac = new LocalTokenMac(macKey), options: { clock?: Clock; retentionDays?: number } = {}) =>
    new DynamoDbTokenVault({
      client: tables.client,
      tableName: 'vault',
      keys: new LocalEnvelopeKeys(masterKey),
      mac,
      clock: options.clock ?? clock,
      retentionSeconds: (options.retentionDays ?? 30) * DAY,
    });
  const itemOf = async (scope: string, sortKey: string) =>
    (
      await tables.client.send(
        new GetItemCommand({ TableName: 'vault', Key: { pk: { S: `scope#${scope}` }, sk: { S: sortKey } } }),
      )
    ).Item;
  /** What DynamoDB TTL does, at some point after the expiry: deletes every item whose expiresAt has passed. */
  const sweepExpired = async (now: Date) => {
    const items = (await tables.client.send(new ScanCommand({ TableName: 'vault' }))).Items ?? [];
    for (const item of items) {
      const expiresAt = item.expiresAt?.N;
      if (expiresAt === undefined || Number(expiresAt) > seconds(now)) continue;
      await tables.client.send(
        new DeleteItemCommand({ TableName: 'vault', Key: { pk: item.pk ?? { S: '' }, sk: item.sk ?? { S: '' } } }),
      );
    }
  };

  beforeAll(async () => {
    tables = await startLocalTables();
  });
  afterAll(async () => tables?.close());

  it('gives the same token for the same value, type and scope, and different ones otherwise', async () => {
    const [a, b, c, d] = await vault().tokenize('scope-aaaaaaaa', [
      { type: 'NAME', value: 'Maria Lopez' },
      { type: 'NAME', value: 'Maria Lopez' },
      { type: 'NAME', value: 'Mario Lopez' },
      { type: 'LOCATION', value: 'Maria Lopez' },
    ]);
    const [other] = await vault().tokenize('scope-bbbbbbbb', [{ type: 'NAME', value: 'Maria Lopez' }]);
    const [again] = await vault().tokenize('scope-aaaaaaaa', [{ type: 'NAME', value: 'Maria Lopez' }]);

    expect(a).toMatch(/^\[NAME_[0-9A-Z]{6}\]$/);
    expect(b).toBe(a);
    expect(again).toBe(a);
    expect(c).not.toBe(a);
    expect(d).toMatch(/^\[LOCATION_/);
    expect(other).not.toBe(a);
  });

  it('resolves tokens only within their own scope', async () => {
    const [token = ''] = await vault().tokenize('scope-cccccccc', [{ type: 'SSN', value: '123-45-6789' }]);

    expect((await vault().resolve('scope-cccccccc', [token])).get(token)).toBe('123-45-6789');
    expect((await vault().resolve('scope-dddddddd', [token])).size).toBe(0);
    expect((await vault().resolve('scope-cccccccc', ['[SSN_000000]'])).size).toBe(0);
  });

  it('stores no plaintext: entries are sealed and the data key is stored encrypted', async () => {
    await vault().tokenize('scope-eeeeeeee', [{ type: 'EMAIL', value: 'jane.roe@example.org' }]);
    const items = await tables.client.send(new ScanCommand({ TableName: 'vault' }));
    const raw = JSON.stringify(items.Items, (_, value) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
    );

    expect(raw).not.toContain('jane.roe');
    expect(raw).not.toContain(Buffer.from('jane.roe').toString('base64'));
  });

  it('sets the TTL attribute from the retention period on entries and the scope key, never on reservations', async () => {
    const [token] = await vault().tokenize('scope-ffffffff', [{ type: 'PHONE', value: '555-0100' }]);
    const items = await tables.client.send(
      new QueryCommand({
        TableName: 'vault',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'scope#scope-ffffffff' } },
      }),
    );
    const expected = String(seconds(clock.now()) + 30 * DAY);
    const bySortKey = new Map((items.Items ?? []).map((item) => [item.sk?.S, item]));

    expect([...bySortKey.keys()].sort()).toEqual([`issued#${token}`, 'key', `token#${token}`].sort());
    expect(bySortKey.get('key')?.expiresAt?.N).toBe(expected);
    expect(bySortKey.get(`token#${token}`)?.expiresAt?.N).toBe(expected);
    expect(bySortKey.get(`issued#${token}`)?.expiresAt).toBeUndefined();
  });

  it('rounds an expiry up to the hour, so it is never shorter than the retention', async () => {
    const offHour = { now: () => new Date('2026-06-01T12:00:01Z') };
    const [token] = await vault(undefined, { clock: offHour }).tokenize('scope-ffff0001', [
      { type: 'PHONE', value: '555-0101' },
    ]);

    expect((await itemOf('scope-ffff0001', `token#${token}`))?.expiresAt?.N).toBe(
      String(seconds(new Date('2026-06-01T13:00:00Z')) + 30 * DAY),
    );
  });

  it("extends an entry's TTL when the value is tokenized again", async () => {
    // Prepare: 90-day retention; the value is first tokenized on day 0.
    const time = steppedClock('2026-01-01T00:00:00Z');
    const vault90 = vault(undefined, { clock: time, retentionDays: 90 });
    const [token = ''] = await vault90.tokenize('scope-ttl00001', [{ type: 'NAME', value: 'Maria Lopez' }]);
    const day0 = seconds(time.now());

    // Act: a new document names the patient again on day 89.
    time.advanceDays(89);
    const [again] = await vault90.tokenize('scope-ttl00001', [{ type: 'NAME', value: 'Maria Lopez' }]);

    // Assess: the entry (and the scope key) now live 90 days from day 89, and the token still resolves on day 100.
    expect(again).toBe(token);
    const renewed = String(day0 + (89 + 90) * DAY);
    expect((await itemOf('scope-ttl00001', `token#${token}`))?.expiresAt?.N).toBe(renewed);
    expect((await itemOf('scope-ttl00001', 'key'))?.expiresAt?.N).toBe(renewed);
    time.advanceDays(11);
    await sweepExpired(time.now());
    expect((await vault90.resolve('scope-ttl00001', [token])).get(token)).toBe('Maria Lopez');
  });

  it('treats an entry past its expiry as gone, before DynamoDB has deleted it', async () => {
    const time = steppedClock('2026-01-01T00:00:00Z');
    const vault30 = vault(undefined, { clock: time, retentionDays: 30 });
    const [token = ''] = await vault30.tokenize('scope-ttl00003', [{ type: 'NAME', value: 'Ann Perry' }]);

    time.advanceDays(29);
    expect((await vault30.resolve('scope-ttl00003', [token])).get(token)).toBe('Ann Perry');
    time.advanceDays(2);
    // No sweep: the item is still in the table, as it can be for days after its TTL in DynamoDB.
    expect(await itemOf('scope-ttl00003', `token#${token}`)).toBeDefined();
    expect((await vault30.resolve('scope-ttl00003', [token])).has(token)).toBe(false);
  });

  it("never shortens an entry's TTL", async () => {
    const time = steppedClock('2026-02-01T00:00:00Z');
    const [token = ''] = await vault(undefined, { clock: time }).tokenize('scope-ttl00002', [
      { type: 'NAME', value: 'Ann Perry' },
    ]);
    const first = (await itemOf('scope-ttl00002', `token#${token}`))?.expiresAt?.N;

    // A Lambda whose clock runs a day behind, or one with a shorter retention configured.
    time.advanceDays(-1);
    await vault(undefined, { clock: time }).tokenize('scope-ttl00002', [{ type: 'NAME', value: 'Ann Perry' }]);
    await vault(undefined, { clock: time, retentionDays: 1 }).tokenize('scope-ttl00002', [
      { type: 'NAME', value: 'Ann Perry' },
    ]);

    expect((await itemOf('scope-ttl00002', `token#${token}`))?.expiresAt?.N).toBe(first);
  });

  it('never reissues an expired token to another value, but gives it back to its own value', async () => {
    // Prepare: Ann and Bob collide on one token; Bob derives another. Then Ann's entry expires and is deleted.
    const time = steppedClock('2026-03-01T00:00:00Z');
    const mac = collidingPair();
    const scoped = vault(mac, { clock: time });
    const [ann = ''] = await scoped.tokenize('scope-reuse001', [{ type: 'NAME', value: 'Ann' }]);
    time.advanceDays(20);
    const [bob = ''] = await scoped.tokenize('scope-reuse001', [{ type: 'NAME', value: 'Bob' }]);
    expect(bob).not.toBe(ann);
    time.advanceDays(15);
    await sweepExpired(time.now());
    expect(await itemOf('scope-reuse001', `token#${ann}`)).toBeUndefined();

    // Act: Bob is named again, in a document written after Ann's entry expired.
    const [bobAgain] = await scoped.tokenize('scope-reuse001', [{ type: 'NAME', value: 'Bob' }]);

    // Assess: Ann's old token does not become Bob's; it stays unknown until Ann herself is tokenized again.
    expect(bobAgain).toBe(bob);
    expect((await scoped.resolve('scope-reuse001', [ann])).size).toBe(0);
    const [annAgain] = await scoped.tokenize('scope-reuse001', [{ type: 'NAME', value: 'Ann' }]);
    expect(annAgain).toBe(ann);
    expect((await scoped.resolve('scope-reuse001', [ann, bob])).get(ann)).toBe('Ann');
  });

  it('reserves the token of an entry written before reservations existed when its value comes back', async () => {
    const [token = ''] = await vault().tokenize('scope-legacy01', [{ type: 'MRN', value: 'MRN-55510' }]);
    await tables.client.send(
      new DeleteItemCommand({
        TableName: 'vault',
        Key: { pk: { S: 'scope#scope-legacy01' }, sk: { S: `issued#${token}` } },
      }),
    );

    await vault().tokenize('scope-legacy01', [{ type: 'MRN', value: 'MRN-55510' }]);

    expect((await itemOf('scope-legacy01', `issued#${token}`))?.mac?.B).toBeDefined();
  });

  it('crypto-shreds a scope: its tokens can never be resolved again, even from a restored entry', async () => {
    const [token = ''] = await vault().tokenize('scope-gggggggg', [{ type: 'MRN', value: 'MRN-00912' }]);
    const entryKey = { pk: { S: 'scope#scope-gggggggg' }, sk: { S: `token#${token}` } };
    const backup = (await tables.client.send(new GetItemCommand({ TableName: 'vault', Key: entryKey }))).Item;

    await vault().shred('scope-gggggggg');
    expect((await vault().resolve('scope-gggggggg', [token])).size).toBe(0);

    // A restored entry (e.g. from a backup) is useless without the shredded data key, even under a new scope key.
    await vault().tokenize('scope-gggggggg', [{ type: 'NAME', value: 'Someone Else' }]);
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    await tables.client.send(new PutItemCommand({ TableName: 'vault', Item: backup ?? {} }));
    expect((await vault().resolve('scope-gggggggg', [token])).size).toBe(0);
  });

  it('derives another token when two values collide in a scope, and never overwrites the first', async () => {
    const constant = Buffer.alloc(32, 1);
    // Always the same MAC: every value gets the same first candidate token.
    const alwaysColliding: TokenMac = { name: 'colliding', macAll: async (messages) => messages.map(() => constant) };
    // The first call collides; later calls (the next candidates) are ordinary hashes of the message.
    let calls = 0;
    const collidesOnce: TokenMac = {
      name: 'collides-once',
      macAll: async (messages) =>
        messages.map((message) => (calls++ === 0 ? constant : createHash('sha256').update(message).digest())),
    };

    const [first = ''] = await vault(alwaysColliding).tokenize('scope-hhhhhhhh', [{ type: 'NAME', value: 'Ann' }]);
    await expect(vault(alwaysColliding).tokenize('scope-hhhhhhhh', [{ type: 'NAME', value: 'Bob' }])).rejects.toThrow(
      /collisions exhausted/,
    );
    const [second = ''] = await vault(collidesOnce).tokenize('scope-hhhhhhhh', [{ type: 'NAME', value: 'Bob' }]);

    expect(calls).toBe(2);
    expect(second).not.toBe(first);
    const resolved = await vault().resolve('scope-hhhhhhhh', [first, second]);
    expect(resolved.get(first)).toBe('Ann');
    expect(resolved.get(second)).toBe('Bob');
  });
});
