/**
 * EncounterStore on DynamoDB: one item per encounter (state and the sets of claimed and done segment numbers), one
 * per sealed final, one per connection (expiring with TTL). Only conditional single-item writes, so it runs on
 * dynalite too; a segment number is claimed by an atomic ADD to a number set guarded by `NOT contains`.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type ClaimOutcome,
  type ConnectionBinding,
  EncounterExists,
  type EncounterRecord,
  type EncounterStore,
  type EndOutcome,
  type StoredSegment,
} from '../../ports/encounter-store.ts';
import type { AudioEncoding, MedicalSpecialty } from '../../ports/transcriber.ts';

const META = 'meta';
const encounterKey = (encounterId: string) => ({ pk: { S: `encounter#${encounterId}` }, sk: { S: META } });
const connectionKey = (connectionId: string) => ({ pk: { S: `connection#${connectionId}` }, sk: { S: META } });
const segmentSort = (seq: number, index: number) =>
  `segment#${String(seq).padStart(6, '0')}#${String(index).padStart(3, '0')}`;

function numbers(value: AttributeValue | undefined): number[] {
  return (value?.NS ?? []).map(Number);
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: string }).name === 'ConditionalCheckFailedException'
  );
}

export class DynamoDbEncounterStore implements EncounterStore {
  readonly name = 'DynamoDbEncounterStore';

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async create(record: EncounterRecord): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            ...encounterKey(record.encounterId),
            encounterId: { S: record.encounterId },
            patientScope: { S: record.patientScope },
            clinicianId: { S: record.clinicianId },
            specialty: { S: record.specialty },
            encoding: { S: record.encoding },
            sampleRateHz: { N: String(record.sampleRateHz) },
            status: { S: record.status },
            openedAt: { S: record.openedAt },
            dataKey: { B: record.encryptedDataKey },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new EncounterExists();
      throw error;
    }
  }

  async get(encounterId: string): Promise<EncounterRecord | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: encounterKey(encounterId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      encounterId,
      patientScope: Item.patientScope?.S ?? '',
      clinicianId: Item.clinicianId?.S ?? '',
      specialty: (Item.specialty?.S ?? 'PRIMARYCARE') as MedicalSpecialty,
      encoding: (Item.encoding?.S ?? 'pcm-s16le') as AudioEncoding,
      sampleRateHz: Number(Item.sampleRateHz?.N ?? 16_000),
      status: Item.status?.S === 'ended' ? 'ended' : 'open',
      openedAt: Item.openedAt?.S ?? '',
      ...(Item.endedAt?.S ? { endedAt: Item.endedAt.S } : {}),
      encryptedDataKey: Item.dataKey?.B ?? new Uint8Array(),
      claimed: numbers(Item.claimed),
      done: numbers(Item.done),
    };
  }

  async claimSegment(encounterId: string, seq: number): Promise<ClaimOutcome> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: encounterKey(encounterId),
          UpdateExpression: 'ADD claimed :seqs',
          ConditionExpression: 'attribute_exists(pk) AND #status = :open AND NOT contains(claimed, :seq)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':seqs': { NS: [String(seq)] },
            ':seq': { N: String(seq) },
            ':open': { S: 'open' },
          },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.get(encounterId);
      if (!current) return 'missing';
      if (current.status !== 'open') return 'not-open';
      return 'duplicate';
    }
  }

  async releaseSegment(encounterId: string, seq: number): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: encounterKey(encounterId),
        UpdateExpression: 'DELETE claimed :seqs',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':seqs': { NS: [String(seq)] } },
      }),
    );
  }

  async putFinals(encounterId: string, seq: number, finals: readonly StoredSegment[]): Promise<void> {
    const { pk } = encounterKey(encounterId);
    for (const final of finals) {
      // Unconditional: a segment retried after a failed store writes the same ids again.
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk,
            sk: { S: segmentSort(final.seq, final.index) },
            segmentId: { S: final.segmentId },
            seq: { N: String(final.seq) },
            segmentIndex: { N: String(final.index) },
            startMs: { N: String(final.startMs) },
            endMs: { N: String(final.endMs) },
            sealed: { B: final.sealed },
          },
        }),
      );
    }
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: encounterKey(encounterId),
        UpdateExpression: 'ADD done :seqs',
        ConditionExpression: 'attribute_exists(pk) AND contains(claimed, :seq)',
        ExpressionAttributeValues: { ':seqs': { NS: [String(seq)] }, ':seq': { N: String(seq) } },
      }),
    );
  }

  async listSegments(encounterId: string): Promise<StoredSegment[]> {
    const segments: StoredSegment[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :segment)',
          ExpressionAttributeValues: { ':pk': encounterKey(encounterId).pk, ':segment': { S: 'segment#' } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        segments.push({
          segmentId: item.segmentId?.S ?? '',
          seq: Number(item.seq?.N ?? 0),
          index: Number(item.segmentIndex?.N ?? 0),
          startMs: Number(item.startMs?.N ?? 0),
          endMs: Number(item.endMs?.N ?? 0),
          sealed: item.sealed?.B ?? new Uint8Array(),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return segments;
  }

  async end(encounterId: string, endedAt: string): Promise<EndOutcome> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: encounterKey(encounterId),
          UpdateExpression: 'SET #status = :ended, endedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND #status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':ended': { S: 'ended' }, ':open': { S: 'open' }, ':at': { S: endedAt } },
        }),
      );
      return 'ended';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.get(encounterId)) ? 'already-ended' : 'missing';
    }
  }

  async bindConnection(binding: ConnectionBinding, expiresAtEpochSeconds: number): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...connectionKey(binding.connectionId),
          encounterId: { S: binding.encounterId },
          userId: { S: binding.userId },
          roles: { L: binding.roles.map((role) => ({ S: role })) },
          connectedAt: { S: binding.connectedAt },
          expiresAt: { N: String(expiresAtEpochSeconds) },
        },
      }),
    );
  }

  async findConnection(connectionId: string): Promise<ConnectionBinding | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: connectionKey(connectionId), ConsistentRead: true }),
    );
    if (!Item?.encounterId?.S || !Item.userId?.S) return undefined;
    return {
      connectionId,
      encounterId: Item.encounterId.S,
      userId: Item.userId.S,
      roles: (Item.roles?.L ?? []).flatMap((role) => (role.S ? [role.S] : [])),
      connectedAt: Item.connectedAt?.S ?? '',
    };
  }

  async unbindConnection(connectionId: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: connectionKey(connectionId) }));
  }
}
