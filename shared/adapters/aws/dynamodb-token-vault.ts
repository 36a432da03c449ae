/**
 * TokenVault on DynamoDB with envelope encryption: each patient scope has its own data key (stored only in
 * encrypted form); each entry is sealed with it under AES-256-GCM. Deleting the scope's key shreds the scope.
 * Only conditional single-item writes are used (no transactions), so the same code runs on dynalite.
 *
 * A token string, once issued in a scope, is never given to another value: documents keep their tokens for longer
 * than the vault keeps entries, and a token that later resolved to someone else's value would put a wrong name or
 * date into a re-identified note without anyone noticing. So beside each entry (which expires) a reservation
 * (which does not) records which value the token was issued to, by the token's full keyed MAC rather than by value:
 * the same value may take its token back after its entry expired; a colliding value derives the next candidate.
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
const ISSUED_PREFIX = 'issued#';
// DynamoDB BatchGetItem takes at most 100 keys per call.
const BATCH_GET_LIMIT = 100;
// Expiries are rounded up to the hour: still at least the retention after the last use, but a value tokenized
// many times an hour extends its entry once rather than on every request.
const EXPIRY_STEP_SECONDS = 3600;
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
  /** The full MAC the token was cut from: identifies this value (at this attempt) in the token's reservation. */
  mac: Uint8Array;
}

/** What the table holds for one candidate token: its entry (expiring) and its reservation (permanent). */
interface Slot {
  readonly entry?: Record<string, AttributeValue>;
  readonly issued?: Record<string, AttributeValue>;
}

interface SlotWork {
  readonly candidate: Candidate;
  readonly slot: Slot;
  /** True when the entry already holds the candidate's value: only its expiry (and reservation) may need care. */
  readonly held: boolean;
}

export class DynamoDbTokenVault implements TokenVault {
  readonly name = 'DynamoDbTokenVault';

  constructor(private readonly options: DynamoDbTokenVaultOptions) {}

  async tokenize(scope: string, values: readonly VaultValue[]): Promise<string[]> {
    if (values.length === 0) return [];
    const unique = new Map<string, Candidate>();
    for (const { type, value } of values) {
      const id = `${type}\u0000${value}`;
      if (!unique.has(id)) unique.set(id, { type, value, attempt: 0, token: '', mac: new Uint8Array() });
    }
    const dataKey = await this.scopeKey(scope, true);
    if (!dataKey) throw new Error('The scope key could not be created');
    const expiresAt = this.expiry();
    let pending = [...unique.values()];
    while (pending.length > 0) {
      await this.assignTokens(scope, pending);
      const slots = await this.readSlots(
        scope,
        pending.map((candidate) => candidate.token),
      );
      const retry: Candidate[] = [];
      const work: SlotWork[] = [];
      for (const candidate of pending) {
        const slot = slots.get(candidate.token) ?? {};
        const stored = slot.entry ? this.openEntry(dataKey, scope, candidate.token, slot.entry) : undefined;
        const issuedTo = slot.issued?.mac?.B;
        const taken =
          (stored !== undefined && stored !== candidate.value) ||
          (issuedTo !== undefined && !Buffer.from(issuedTo).equals(Buffer.from(candidate.mac)));
        if (taken) {
          // The token is (or was) another value's in this scope: derive the next candidate.
          candidate.attempt++;
          if (candidate.attempt >= MAX_COLLISION_ATTEMPTS) throw new Error('Token collisions exhausted');
          retry.push(candidate);
        } else {
          work.push({ candidate, slot, held: stored === candidate.value });
        }
      }
      const lost = await this.writeSlots(scope, dataKey, work, expiresAt);
      pending = [...retry, ...lost];
    }
    await this.touchScopeKey(scope, expiresAt);
    return values.map(({ type, value }) => unique.get(`${type}\u0000${value}`)?.token ?? '');
  }

  async resolve(scope: string, tokens: readonly string[]): Promise<Map<string, string>> {
    const resolved = new Map<string, string>();
    const wanted = [...new Set(tokens)];
    if (wanted.length === 0) return resolved;
    const dataKey = await this.scopeKey(scope, false);
    if (!dataKey) return resolved;
    const entries = await this.readItems(
      scope,
      wanted.map((token) => `${ENTRY_PREFIX}${token}`),
    );
    // DynamoDB deletes expired items only within days of their TTL: an entry past its expiry is treated as gone,
    // so retention ends when it says, not when the sweeper gets to it.
    const nowSeconds = Math.floor(this.options.clock.now().getTime() / 1000);
    for (const token of wanted) {
      const item = entries.get(`${ENTRY_PREFIX}${token}`);
      const expired = item?.expiresAt?.N !== undefined && Number(item.expiresAt.N) <= nowSeconds;
      const value = item && !expired ? this.openEntry(dataKey, scope, token, item) : undefined;
      if (value !== undefined) resolved.set(token, value);
    }
    return resolved;
  }

  async shred(scope: string): Promise<void> {
    const { client, tableName } = this.options;
    // The key goes first: from that moment every entry of the scope is unreadable, whatever happens next.
    // Reservations go too (they are keyed digests of the values); a scope id reused after a shred starts afresh.
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
      candidate.mac = mac;
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

  /**
   * Claims free tokens (reservation first, then the sealed entry) and renews held ones, each write conditional on
   * what was read; returns the candidates that lost a race and must be re-examined.
   */
  private async writeSlots(
    scope: string,
    dataKey: Uint8Array,
    work: readonly SlotWork[],
    expiresAt: string,
  ): Promise<Candidate[]> {
    const lost: Candidate[] = [];
    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const item = work[next++];
        if (!item) continue;
        try {
          if (!item.slot.issued) await this.reserve(scope, item.candidate);
          if (item.held) await this.renew(scope, item.candidate, item.slot, expiresAt);
          else await this.putEntry(scope, dataKey, item.candidate, item.slot, expiresAt);
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          lost.push(item.candidate);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, work.length) }, worker));
    return lost;
  }

  /** Records, for good, which value a token is issued to (also for entries written before reservations existed). */
  private async reserve(scope: string, candidate: Candidate): Promise<void> {
    const { client, tableName, clock } = this.options;
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: partitionOf(scope) },
          sk: { S: `${ISSUED_PREFIX}${candidate.token}` },
          mac: { B: candidate.mac },
          createdAt: { S: clock.now().toISOString() },
        },
        ConditionExpression: 'attribute_not_exists(sk)',
      }),
    );
  }

  private async putEntry(
    scope: string,
    dataKey: Uint8Array,
    candidate: Candidate,
    slot: Slot,
    expiresAt: string,
  ): Promise<void> {
    const { client, tableName, clock } = this.options;
    const stale = slot.entry?.v?.B;
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: partitionOf(scope) },
          sk: { S: `${ENTRY_PREFIX}${candidate.token}` },
          type: { S: candidate.type },
          v: { B: seal(dataKey, Buffer.from(candidate.value, 'utf8'), entryAad(scope, candidate.token)) },
          createdAt: { S: clock.now().toISOString() },
          expiresAt: { N: expiresAt },
        },
        // Write only into an empty slot, or over the unreadable entry we saw: never over a live value.
        ...(stale
          ? { ConditionExpression: 'v = :stale', ExpressionAttributeValues: { ':stale': { B: stale } } }
          : { ConditionExpression: 'attribute_not_exists(sk)' }),
      }),
    );
  }

  /**
   * A value tokenized again must stay resolvable for the full retention from now: a draft written from it today
   * is re-identified tomorrow. The expiry only ever grows, and only while the entry still holds the value seen.
   */
  private async renew(scope: string, candidate: Candidate, slot: Slot, expiresAt: string): Promise<void> {
    const seen = slot.entry?.v?.B;
    const current = Number(slot.entry?.expiresAt?.N ?? 0);
    if (!seen || current >= Number(expiresAt)) return;
    await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: partitionOf(scope) }, sk: { S: `${ENTRY_PREFIX}${candidate.token}` } },
        UpdateExpression: 'SET expiresAt = :expiresAt',
        ConditionExpression: 'v = :seen AND (attribute_not_exists(expiresAt) OR expiresAt < :expiresAt)',
        ExpressionAttributeValues: { ':seen': { B: seen }, ':expiresAt': { N: expiresAt } },
      }),
    );
  }

  /** The entry and the reservation of each token. */
  private async readSlots(scope: string, tokens: readonly string[]): Promise<Map<string, Slot>> {
    const wanted = [...new Set(tokens)];
    const items = await this.readItems(
      scope,
      wanted.flatMap((token) => [`${ENTRY_PREFIX}${token}`, `${ISSUED_PREFIX}${token}`]),
    );
    const slots = new Map<string, Slot>();
    for (const token of wanted) {
      const entry = items.get(`${ENTRY_PREFIX}${token}`);
      const issued = items.get(`${ISSUED_PREFIX}${token}`);
      slots.set(token, { ...(entry ? { entry } : {}), ...(issued ? { issued } : {}) });
    }
    return slots;
  }

  /** Items of the scope by sort key, read consistently; keys with no item are absent from the result. */
  private async readItems(
    scope: string,
    sortKeys: readonly string[],
  ): Promise<Map<string, Record<string, AttributeValue>>> {
    const { client, tableName } = this.options;
    const found = new Map<string, Record<string, AttributeValue>>();
    for (let start = 0; start < sortKeys.length; start += BATCH_GET_LIMIT) {
      let keys: Record<string, AttributeValue>[] | undefined = sortKeys
        .slice(start, start + BATCH_GET_LIMIT)
        .map((sortKey) => ({ pk: { S: partitionOf(scope) }, sk: { S: sortKey } }));
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        if (attempt > 8) throw new Error('The vault did not answer every key');
        const output: BatchGetItemCommandOutput = await client.send(
          new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of output.Responses?.[tableName] ?? []) {
          const sortKey = item.sk?.S;
          if (sortKey) found.set(sortKey, item);
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
  private async touchScopeKey(scope: string, expiresAt: string): Promise<void> {
    await this.options.client.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: partitionOf(scope) }, sk: { S: KEY_SORT } },
        UpdateExpression: 'SET expiresAt = :expiresAt',
        ConditionExpression: 'attribute_exists(sk)',
        ExpressionAttributeValues: { ':expiresAt': { N: expiresAt } },
      }),
    );
  }

  private expiry(): string {
    const earliest = Math.ceil(this.options.clock.now().getTime() / 1000) + this.options.retentionSeconds;
    return String(Math.ceil(earliest / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS);
  }
}
