/**
 * EncounterStore on DynamoDB: one item per encounter (state, the sets of claimed and done segment numbers, and per
 * segment its latest claim and its final count), one per sealed final, one per connection (expiring with TTL). Only
 * conditional single-item writes, so it runs on dynalite too: a claim is a lease written under the condition that no
 * live claim holds the number; finals are written under their attempt's id and become visible only when the same
 * attempt marks the segment done with their count, so finals of a failed or lapsed attempt are never read.
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
  ClaimLost,
  type ClaimOutcome,
  type ConnectionBinding,
  EncounterExists,
  type EncounterRecord,
  type EncounterStore,
  type EndOutcome,
  inFlightSegments,
  type SegmentClaim,
  type StoredSegment,
} from '../../ports/encounter-store.ts';
import type { AudioEncoding, MedicalSpecialty } from '../../ports/transcriber.ts';

const META = 'meta';
/** Kept as long as the vault keeps PHI by default; the deployment config sets it (`transcriptRetentionDays`). */
export const DEFAULT_TRANSCRIPT_RETENTION_DAYS = 30;
const encounterKey = (encounterId: string) => ({ pk: { S: `encounter#${encounterId}` }, sk: { S: META } });
const connectionKey = (connectionId: string) => ({ pk: { S: `connection#${connectionId}` }, sk: { S: META } });
const pad = (value: number) => String(value).padStart(6, '0');
/** Zero-padded wide enough for any seq and index, so the sort key orders them numerically. */
const segmentSort = (seq: number, attempt: string, index: number) => `segment#${pad(seq)}#${attempt}#${pad(index)}`;
/** Per-segment attributes of the encounter item: its latest claim, and the attempt and count of its stored finals. */
const CLAIM = 'claim#';
const FINAL = 'final#';
const claimName = (seq: number) => `${CLAIM}${pad(seq)}`;
const finalName = (seq: number) => `${FINAL}${pad(seq)}`;

function numbers(value: AttributeValue | undefined): number[] {
  return (value?.NS ?? []).map(Number);
}

function claimsOf(item: Record<string, AttributeValue>): SegmentClaim[] {
  return Object.entries(item).flatMap(([name, value]) =>
    name.startsWith(CLAIM) && value.M
      ? [
          {
            seq: Number(name.slice(CLAIM.length)),
            attempt: value.M.attempt?.S ?? '',
            expiresAtMs: Number(value.M.expiresAt?.N ?? 0),
          },
        ]
      : [],
  );
}

/** The attempt whose finals count for each done segment, and how many finals it stored. */
function finalsOf(item: Record<string, AttributeValue>): Map<number, { attempt: string; count: number }> {
  const finals = new Map<number, { attempt: string; count: number }>();
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(FINAL) || !value.M) continue;
    finals.set(Number(name.slice(FINAL.length)), {
      attempt: value.M.attempt?.S ?? '',
      count: Number(value.M.count?.N ?? 0),
    });
  }
  return finals;
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
    /** Days an encounter and its sealed finals are kept before DynamoDB TTL removes them (`expiresAt`). */
    private readonly retentionDays = DEFAULT_TRANSCRIPT_RETENTION_DAYS,
  ) {}

  /** The TTL (epoch seconds) of an encounter opened at `openedAt`; its finals expire with it. */
  private expiresAtOf(openedAt: string): AttributeValue {
    const opened = Date.parse(openedAt);
    const from = Number.isFinite(opened) ? opened : Date.now();
    return { N: String(Math.floor(from / 1000) + this.retentionDays * 86_400) };
  }

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
            expiresAt: this.expiresAtOf(record.openedAt),
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
    const item = await this.item(encounterId);
    return item ? this.toRecord(encounterId, item) : undefined;
  }

  private async item(encounterId: string): Promise<Record<string, AttributeValue> | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: encounterKey(encounterId), ConsistentRead: true }),
    );
    return Item;
  }

  private toRecord(encounterId: string, Item: Record<string, AttributeValue>): EncounterRecord {
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
      claims: claimsOf(Item),
    };
  }

  async claimSegment(encounterId: string, claim: SegmentClaim, nowMs: number): Promise<ClaimOutcome> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: encounterKey(encounterId),
          // claimVersion changes with every claim, so an end that checked for claims in flight fails if one landed since.
          UpdateExpression: 'SET #claim = :claim ADD claimed :seqs, claimVersion :one',
          ConditionExpression:
            'attribute_exists(pk) AND #status = :open AND NOT contains(done, :seq) AND ' +
            '(attribute_not_exists(#claim) OR #claim.expiresAt <= :now)',
          ExpressionAttributeNames: { '#status': 'status', '#claim': claimName(claim.seq) },
          ExpressionAttributeValues: {
            ':claim': { M: { attempt: { S: claim.attempt }, expiresAt: { N: String(claim.expiresAtMs) } } },
            ':seqs': { NS: [String(claim.seq)] },
            ':seq': { N: String(claim.seq) },
            ':open': { S: 'open' },
            ':now': { N: String(nowMs) },
            ':one': { N: '1' },
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

  async releaseSegment(encounterId: string, claim: SegmentClaim): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: encounterKey(encounterId),
          UpdateExpression: 'REMOVE #claim DELETE claimed :seqs',
          ConditionExpression: 'attribute_exists(pk) AND #claim.attempt = :attempt AND NOT contains(done, :seq)',
          ExpressionAttributeNames: { '#claim': claimName(claim.seq) },
          ExpressionAttributeValues: {
            ':seqs': { NS: [String(claim.seq)] },
            ':seq': { N: String(claim.seq) },
            ':attempt': { S: claim.attempt },
          },
        }),
      );
    } catch (error) {
      // Someone else holds the number now (our lease lapsed), or it is done: nothing of ours to give back.
      if (!isConditionFailure(error)) throw error;
    }
  }

  async putFinals(encounterId: string, claim: SegmentClaim, finals: readonly StoredSegment[]): Promise<void> {
    const { pk } = encounterKey(encounterId);
    // A final expires with its encounter; an unknown encounter (refused below anyway) expires its orphans from now.
    const expiresAt = this.expiresAtOf((await this.get(encounterId))?.openedAt ?? '');
    for (const final of finals) {
      // Under this attempt's id: invisible until the done mark below names this attempt, so a failure midway leaves
      // nothing a reader sees, and a retry's finals never mix with these.
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk,
            sk: { S: segmentSort(final.seq, claim.attempt, final.index) },
            segmentId: { S: final.segmentId },
            seq: { N: String(final.seq) },
            segmentIndex: { N: String(final.index) },
            attempt: { S: claim.attempt },
            startMs: { N: String(final.startMs) },
            endMs: { N: String(final.endMs) },
            sealed: { B: final.sealed },
            expiresAt,
          },
        }),
      );
    }
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: encounterKey(encounterId),
          UpdateExpression: 'SET #final = :final ADD done :seqs',
          ConditionExpression:
            'attribute_exists(pk) AND #status = :open AND #claim.attempt = :attempt AND NOT contains(done, :seq)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#claim': claimName(claim.seq),
            '#final': finalName(claim.seq),
          },
          ExpressionAttributeValues: {
            ':final': { M: { attempt: { S: claim.attempt }, count: { N: String(finals.length) } } },
            ':seqs': { NS: [String(claim.seq)] },
            ':seq': { N: String(claim.seq) },
            ':open': { S: 'open' },
            ':attempt': { S: claim.attempt },
          },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ClaimLost();
      throw error;
    }
  }

  async listSegments(encounterId: string): Promise<StoredSegment[]> {
    const item = await this.item(encounterId);
    if (!item) return [];
    // Read after the encounter item: a done mark is written after its finals, so every final it counts is there.
    const counted = finalsOf(item);
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
        const seq = Number(item.seq?.N ?? 0);
        const index = Number(item.segmentIndex?.N ?? 0);
        const final = counted.get(seq);
        if (!final || item.attempt?.S !== final.attempt || index >= final.count) continue;
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
    return segments.sort((a, b) => a.seq - b.seq || a.index - b.index);
  }

  async end(encounterId: string, endedAt: string, nowMs: number): Promise<EndOutcome> {
    // A claim landing between the read and the write changes claimVersion and fails the write: read again.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const item = await this.item(encounterId);
      if (!item) return 'missing';
      const current = this.toRecord(encounterId, item);
      if (current.status !== 'open') return 'already-ended';
      const inFlight = inFlightSegments(current, nowMs);
      if (inFlight.length > 0) return { inFlight };
      const version = item.claimVersion?.N;
      try {
        await this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: encounterKey(encounterId),
            UpdateExpression: 'SET #status = :ended, endedAt = :at',
            ConditionExpression:
              'attribute_exists(pk) AND #status = :open AND ' +
              (version === undefined ? 'attribute_not_exists(claimVersion)' : 'claimVersion = :version'),
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':ended': { S: 'ended' },
              ':open': { S: 'open' },
              ':at': { S: endedAt },
              ...(version === undefined ? {} : { ':version': { N: version } }),
            },
          }),
        );
        return 'ended';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    const current = await this.get(encounterId);
    if (!current) return 'missing';
    if (current.status !== 'open') return 'already-ended';
    return { inFlight: inFlightSegments(current, nowMs) };
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
          ...(binding.tokenExpiresAt !== undefined ? { tokenExpiresAt: { N: String(binding.tokenExpiresAt) } } : {}),
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
      ...(Item.tokenExpiresAt?.N ? { tokenExpiresAt: Number(Item.tokenExpiresAt.N) } : {}),
    };
  }

  async unbindConnection(connectionId: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: connectionKey(connectionId) }));
  }
}
