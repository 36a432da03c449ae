/**
 * TokenVault on DynamoDB with envelope encryption: each patient scope has its own data key (stored only in
 * encrypted form); each entry is sealed with it under AES-256-GCM. Deleting the scope's key shreds the scope.
 * Only conditional single-item writes are used (no transactions), so the same code runs on dynalite.
 */
import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { open, seal } from '../../crypto/aes-gcm.ts';
import type { PhiType } from '../../phi/phi-types.ts';
import { formatToken, tokenCode } from '../../phi/vault-token.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EnvelopeKeys } from '../../ports/envelope-keys.ts';
import type { TokenMac } from '../../ports/token-mac.ts';
import type { TokenVault, VaultValue } from '../../ports/token-vault.ts';

export interface DynamoDbTokenVaultOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly keys: EnvelopeKeys;
  readonly mac: TokenMac;
  readonly clock: Clock;
  /** How long a token stays resolvable; DynamoDB TTL deletes entries after it. */
  readonly retentionSeconds: number;
}

const KEY_SORT = 'key';
const ENTRY_PREFIX = 'token#';
// DynamoDB BatchGetItem takes at most 100 keys per call.
const BATCH_GET_LIMIT = 100;
const WRITE_CONCURRENCY = 16;
// A 30-bit token code can collide within a scope; on a collision the next candidate is derived.
const MAX_COLLISION_ATTEMPTS = 8;

const partitionOf = (scope: string) => `scope#${scope}`;
const keyContext = (scope: string) => ({ purpose: 'token-vault', scope });
const entryAad = (scope: string, token: string) => `${scope}|${token}`;

interface Candidate {
  readonly type: PhiType;
  readonly value: string;
  attempt: number;
  token: string;
}

export class DynamoDbTokenVault implements TokenVault {
  readonly name = 'DynamoDbTokenVault';

  constructor(private readonly options: DynamoDbTokenVaultOptions) {}

  async tokenize(scope: string, values: readonly VaultValue[]): Promise<string[]> {
    if (values.length === 0) return [];
    const unique = new Map<string, Candidate>();
    for (const { type, value } of values) {
      const id = `${type}\u0000${value}`;
      if (!unique.has(id)) unique.set(id, { type, value, attempt: 0, token: '' });
    }
    const dataKey = await this.scopeKey(scope, true);
    if (!dataKey) throw new Error('The scope key could not be created');
    let pending = [...unique.values()];
    while (pending.length > 0) {
      await this.assignTokens(scope, pending);
      const existing = await this.readEntries(
        scope,
        pending.map((candidate) => candidate.token),
      );
      const retry: Candidate[] = [];
      const toWrite: Candidate[] = [];
      for (const candidate of pending) {
        const item = existing.get(candidate.token);
        const stored = item ? this.openEntry(dataKey, scope, candidate.token, item) : undefined;
        if (stored === candidate.value) continue;
        if (stored !== undefined) {
          // Another value already holds this token in this scope: derive the next candidate.
          candidate.attempt++;
          if (candidate.attempt >= MAX_COLLISION_ATTEMPTS) throw new Error('Token collisions exhausted');
          retry.push(candidate);
        } else {
          toWrite.push(candidate);
        }
      }
      const lost = await this.writeEntries(scope, dataKey, toWrite, existing);
      pending = [...retry, ...lost];
    }
    await this.touchScopeKey(scope);
    return values.map(({ type, value }) => unique.get(`${type}\u0000${value}`)?.token ?? '');
  }

  async resolve(scope: string, tokens: readonly string[]): Promise<Map<string, string>> {
    const resolved = new Map<string, string>();
    const wanted = [...new Set(tokens)];
    if (wanted.length === 0) return resolved;
    const dataKey = await this.scopeKey(scope, false);
    if (!dataKey) return resolved;
    const entries = await this.readEntries(scope, wanted);
    for (const [token, item] of entries) {
      const value = this.openEntry(dataKey, scope, token, item);
      if (value !== undefined) resolved.set(token, value);
    }
    return resolved;
  }

  async shred(scope: string): Promise<void> {
    const { client, tableName } = this.options;
    // The key goes first: from that moment every entry of the scope is unreadable, whatever happens next.
    await client.send(
      new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: partitionOf(scope) }, sk: { S: KEY_SORT } } }),
    );
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: partitionOf(scope) } },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        await client.send(
          new DeleteItemCommand({ TableName: tableName, Key: { pk: item.pk ?? { S: '' }, sk: item.sk ?? { S: '' } } }),
        );
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  private async assignTokens(scope: string, candidates: readonly Candidate[]): Promise<void> {
    // The PHI value is hashed before it is MACed: the key holder (KMS) never receives the value itself.
    const messages = candidates.map((candidate) =>
      createHash('sha256')
        .update(`v1\u0000${scope}\u0000${candidate.type}\u0000${candidate.value}\u0000${candidate.attempt}`, 'utf8')
        .digest('hex'),
    );
    const macs = await this.options.mac.macAll(messages);
    candidates.forEach((candidate, index) => {
      const mac = macs[index];
      if (!mac) throw new Error('The MAC adapter returned too few results');
      candidate.token = formatToken(candidate.type, tokenCode(mac));
    });
  }

  private openEntry(
    dataKey: Uint8Array,
    scope: string,
    token: string,
    item: Record<string, AttributeValue>,
  ): string | undefined {
    const sealed = item.v?.B;
    if (!sealed) return undefined;
    try {
      return open(dataKey, sealed, entryAad(scope, token)).toString('utf8');
    } catch {
      // Sealed under a shredded key: unreadable by design, and overwritten on the next tokenization.
      return undefined;
    }
  }

  /** Writes entries conditionally; returns the candidates that lost a race and must be re-examined. */
  private async writeEntries(
    scope: string,
    dataKey: Uint8Array,
    candidates: readonly Candidate[],
    existing: ReadonlyMap<string, Record<string, AttributeValue>>,
  ): Promise<Candidate[]> {
    const { client, tableName, clock, retentionSeconds } = this.options;
    const now = clock.now();
    const expiresAt = String(Math.floor(now.getTime() / 1000) + retentionSeconds);
    const lost: Candidate[] = [];
    let next = 0;
    const worker = async () => {
      while (next < candidates.length) {
        const candidate = candidates[next++];
        if (!candidate) continue;
        const stale = existing.get(candidate.token);
        try {
          await client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: {
                pk: { S: partitionOf(scope) },
                sk: { S: `${ENTRY_PREFIX}${candidate.token}` },
                type: { S: candidate.type },
                v: { B: seal(dataKey, Buffer.from(candidate.value, 'utf8'), entryAad(scope, candidate.token)) },
                createdAt: { S: now.toISOString() },
                expiresAt: { N: expiresAt },
              },
              // Write only into an empty slot, or over the unreadable entry we saw: never over a live value.
              ...(stale?.v?.B
                ? { ConditionExpression: 'v = :stale', ExpressionAttributeValues: { ':stale': { B: stale.v.B } } }
                : { ConditionExpression: 'attribute_not_exists(sk)' }),
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          lost.push(candidate);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, candidates.length) }, worker));
    return lost;
  }

  private async readEntries(
    scope: string,
    tokens: readonly string[],
  ): Promise<Map<string, Record<string, AttributeValue>>> {
    const { client, tableName } = this.options;
    const found = new Map<string, Record<string, AttributeValue>>();
    for (let start = 0; start < tokens.length; start += BATCH_GET_LIMIT) {
      let keys: Record<string, AttributeValue>[] | undefined = tokens
        .slice(start, start + BATCH_GET_LIMIT)
        .map((token) => ({ pk: { S: partitionOf(scope) }, sk: { S: `${ENTRY_PREFIX}${token}` } }));
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        if (attempt > 8) throw new Error('The vault did not answer every key');
        const output: BatchGetItemCommandOutput = await client.send(
          new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of output.Responses?.[tableName] ?? []) {
          const sortKey = item.sk?.S;
          if (sortKey) found.set(sortKey.slice(ENTRY_PREFIX.length), item);
        }
        keys = output.UnprocessedKeys?.[tableName]?.Keys;
      }
    }
    return found;
  }

  /** The scope's plaintext data key, creating it when asked; undefined when the scope has none (or was shredded). */
  private async scopeKey(scope: string, create: boolean): Promise<Uint8Array | undefined> {
    const { client, tableName, keys } = this.options;
    const key = { pk: { S: partitionOf(scope) }, sk: { S: KEY_SORT } };
    const read = async () =>
      (await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
    let item = await read();
    if (!item && create) {
      const generated = await keys.generateDataKey(keyContext(scope));
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...key,
              dataKey: { B: generated.encrypted },
              createdAt: { S: this.options.clock.now().toISOString() },
              expiresAt: { N: this.expiry() },
            },
            ConditionExpression: 'attribute_not_exists(sk)',
          }),
        );
        return generated.plaintext;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Another request created the scope key first: use theirs.
        item = await read();
      }
    }
    const encrypted = item?.dataKey?.B;
    return encrypted ? keys.decryptDataKey(encrypted, keyContext(scope)) : undefined;
  }

  /** Keeps the scope key alive as long as its newest entry. */
  private async touchScopeKey(scope: string): Promise<void> {
    await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: partitionOf(scope) }, sk: { S: KEY_SORT } },
        UpdateExpression: 'SET expiresAt = :expiresAt',
        ConditionExpression: 'attribute_exists(sk)',
        ExpressionAttributeValues: { ':expiresAt': { N: this.expiry() } },
      }),
    );
  }

  private expiry(): string {
    return String(Math.floor(this.options.clock.now().getTime() / 1000) + this.options.retentionSeconds);
  }
}
