import { createHash } from 'node:crypto';
import { GetItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbTokenVault } from '../../../../shared/adapters/aws/dynamodb-token-vault.ts';
import { LocalEnvelopeKeys } from '../../../../shared/adapters/local/local-envelope-keys.ts';
import { LocalTokenMac } from '../../../../shared/adapters/local/local-token-mac.ts';
import type { TokenMac } from '../../../../shared/ports/token-mac.ts';
import { type LocalTables, startLocalTables } from '../../../support/local-tables.ts';

const masterKey = Buffer.alloc(32, 7);
const macKey = Buffer.alloc(32, 9);
const clock = { now: () => new Date('2026-06-01T12:00:00Z') };

describe('DynamoDbTokenVault', () => {
  let tables: LocalTables;
  const vault = (mac: TokenMac = new LocalTokenMac(macKey)) =>
    new DynamoDbTokenVault({
      client: tables.client,
      tableName: 'vault',
      keys: new LocalEnvelopeKeys(masterKey),
      mac,
      clock,
      retentionSeconds: 30 * 86_400,
    });

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

  it('sets the TTL attribute from the retention period on entries and the scope key', async () => {
    await vault().tokenize('scope-ffffffff', [{ type: 'PHONE', value: '555-0100' }]);
    const items = await tables.client.send(
      new QueryCommand({
        TableName: 'vault',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'scope#scope-ffffffff' } },
      }),
    );
    const expected = String(Math.floor(clock.now().getTime() / 1000) + 30 * 86_400);

    expect(items.Items).toHaveLength(2);
    for (const item of items.Items ?? []) expect(item.expiresAt?.N).toBe(expected);
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
