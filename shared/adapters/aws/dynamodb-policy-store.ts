/**
 * PolicyStore on DynamoDB, single-table, conditional single-item writes only (no transactions, so the same code
 * runs on dynalite). The table is encrypted with the app CMK: incident descriptions and resolutions (which may
 * hold PHI) are stored only here and are never logged, put in events or audited.
 *
 * Key layout (each domain record is kept whole in the map attribute `record`, validated by its schema on read):
 *
 *   pk                        sk                    byKind: kind / kindSort                 TTL (expiresAt)
 *   policy                    current               -                                       -
 *   policy                    version#<version>     -                                       -
 *   model                     <model id>            -                                       -
 *   model#<model id>          version#<10 digits>   -                                       -
 *   attestation#<userId>      <policy version>      attestation#<version> / <userId>        attestedAt + retention
 *   incident#<incident id>    incident              incident#<status> / <reportedAt>#<id>   -
 *   consent#<patientScope>    <consent id>          -                                       -
 *
 * Models share one partition so that the decision lists them with one strongly consistent query (an inventory is
 * dozens of items); each replaced version of a model is kept in that model's own partition, so the decision never
 * reads history. A policy version's history entry is written before the `current` pointer moves, and only if its
 * label has none, so a label is never current twice (old attestations to it never count again). Consents are read per patient scope, consistently, so a revocation applies at once. The
 * index serves only listings (attestations per version, incidents per status), where a short lag is acceptable.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { z } from 'zod';
import { ApprovedModel } from '../../policy/approved-model.ts';
import { Consent } from '../../policy/consent.ts';
import { IncidentReport, type IncidentStatus } from '../../policy/incident-report.ts';
import { Attestation, PolicyVersion } from '../../policy/policy-version.ts';
import type { ConsentRevocation, PolicyStore } from '../../ports/policy-store.ts';

export interface DynamoDbPolicyStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

type Item = Record<string, AttributeValue>;
type Key = { readonly pk: string; readonly sk: string };

const BY_KIND = 'byKind';
const POLICY_PARTITION = 'policy';
const CURRENT_POLICY = 'current';
const VERSION_PREFIX = 'version#';
const MODEL_PARTITION = 'model';
const MODEL_HISTORY_PREFIX = 'model#';
const INCIDENT_SORT = 'incident';

const keys = {
  currentPolicy: (): Key => ({ pk: POLICY_PARTITION, sk: CURRENT_POLICY }),
  policyVersion: (version: string): Key => ({ pk: POLICY_PARTITION, sk: `${VERSION_PREFIX}${version}` }),
  model: (id: string): Key => ({ pk: MODEL_PARTITION, sk: id }),
  // Zero-padded so that the sort key orders versions numerically.
  modelVersion: (id: string, version: number): Key => ({
    pk: `${MODEL_HISTORY_PREFIX}${id}`,
    sk: `${VERSION_PREFIX}${String(version).padStart(10, '0')}`,
  }),
  attestation: (userId: string, version: string): Key => ({ pk: `attestation#${userId}`, sk: version }),
  incident: (id: string): Key => ({ pk: `incident#${id}`, sk: INCIDENT_SORT }),
  consent: (patientScope: string, id: string): Key => ({ pk: `consent#${patientScope}`, sk: id }),
};
const attestationKind = (version: string) => `attestation#${version}`;
const incidentKind = (status: IncidentStatus) => `incident#${status}`;

// `record`, `version` and `status` are DynamoDB reserved words or may become ones: always go through names.
const NAMES = { '#pk': 'pk', '#record': 'record', '#version': 'version', '#status': 'status' } as const;

export class DynamoDbPolicyStore implements PolicyStore {
  readonly name = 'DynamoDbPolicyStore';

  constructor(private readonly options: DynamoDbPolicyStoreOptions) {}

  async getModel(id: string): Promise<ApprovedModel | undefined> {
    return this.read(keys.model(id), ApprovedModel);
  }

  async listModels(): Promise<ApprovedModel[]> {
    const models = await this.queryPartition(MODEL_PARTITION, ApprovedModel);
    return models.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async putModel(model: ApprovedModel, expectedVersion: number | undefined): Promise<boolean> {
    if (expectedVersion !== undefined) {
      // Keep the version being replaced before replacing it: without transactions, a history entry written after the
      // replacement could be lost with the process. Only one record ever holds a given version, so this is idempotent.
      const replaced = await this.getModel(model.id);
      if (replaced?.version !== expectedVersion) return false;
      await this.put(toItem(keys.modelVersion(replaced.id, replaced.version), replaced));
    }
    return this.conditionalPut(
      toItem(keys.model(model.id), model),
      expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': NAMES['#pk'] } }
        : {
            ConditionExpression: '#record.#version = :expected',
            ExpressionAttributeNames: { '#record': NAMES['#record'], '#version': NAMES['#version'] },
            ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
          },
    );
  }

  async listModelVersions(id: string): Promise<ApprovedModel[]> {
    return this.queryPartition(`${MODEL_HISTORY_PREFIX}${id}`, ApprovedModel);
  }

  async getCurrentPolicyVersion(): Promise<PolicyVersion | undefined> {
    return this.read(keys.currentPolicy(), PolicyVersion);
  }

  async setCurrentPolicyVersion(next: PolicyVersion, expectedCurrent: string | undefined): Promise<boolean> {
    // The entry first: if the pointer write then fails, the label is spent but was never current, so no attestation
    // to it exists; the reverse order could make a label current with no entry, and publishable again later.
    const recorded = await this.conditionalPut(toItem(keys.policyVersion(next.version), next), {
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': NAMES['#pk'] },
    });
    if (!recorded) return false;
    return this.conditionalPut(
      toItem(keys.currentPolicy(), next),
      expectedCurrent === undefined
        ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': NAMES['#pk'] } }
        : {
            ConditionExpression: '#record.#version = :expected',
            ExpressionAttributeNames: { '#record': NAMES['#record'], '#version': NAMES['#version'] },
            ExpressionAttributeValues: { ':expected': { S: expectedCurrent } },
          },
    );
  }

  async getPolicyVersion(version: string): Promise<PolicyVersion | undefined> {
    return this.read(keys.policyVersion(version), PolicyVersion);
  }

  async listPolicyVersions(): Promise<PolicyVersion[]> {
    const versions = await this.queryPartition(POLICY_PARTITION, PolicyVersion, VERSION_PREFIX);
    return versions.sort((a, b) => a.setAt.localeCompare(b.setAt));
  }

  async putAttestation(attestation: Attestation): Promise<Attestation> {
    const key = keys.attestation(attestation.userId, attestation.policyVersion);
    const written = await this.conditionalPut(
      toItem(key, attestation, {
        kind: { S: attestationKind(attestation.policyVersion) },
        kindSort: { S: attestation.userId },
        expiresAt: { N: String(attestation.expiresAt) },
      }),
      { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': NAMES['#pk'] } },
    );
    if (written) return attestation;
    return (await this.read(key, Attestation)) ?? attestation;
  }

  async getAttestation(userId: string, policyVersion: string): Promise<Attestation | undefined> {
    return this.read(keys.attestation(userId, policyVersion), Attestation);
  }

  async listAttestations(policyVersion: string): Promise<Attestation[]> {
    return this.queryKind(attestationKind(policyVersion), Attestation);
  }

  async createIncident(incident: IncidentReport): Promise<void> {
    const created = await this.conditionalPut(this.incidentItem(incident), {
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': NAMES['#pk'] },
    });
    if (!created) throw new Error('The incident id is already in use');
  }

  async getIncident(id: string): Promise<IncidentReport | undefined> {
    return this.read(keys.incident(id), IncidentReport);
  }

  async updateIncident(incident: IncidentReport, expectedStatus: IncidentStatus): Promise<boolean> {
    return this.conditionalPut(this.incidentItem(incident), {
      ConditionExpression: '#record.#status = :expected',
      ExpressionAttributeNames: { '#record': NAMES['#record'], '#status': NAMES['#status'] },
      ExpressionAttributeValues: { ':expected': { S: expectedStatus } },
    });
  }

  async listIncidents(status: IncidentStatus): Promise<IncidentReport[]> {
    return this.queryKind(incidentKind(status), IncidentReport);
  }

  async createConsent(consent: Consent): Promise<void> {
    const created = await this.conditionalPut(toItem(keys.consent(consent.patientScope, consent.id), consent), {
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': NAMES['#pk'] },
    });
    if (!created) throw new Error('The consent id is already in use');
  }

  async getConsent(patientScope: string, consentId: string): Promise<Consent | undefined> {
    return this.read(keys.consent(patientScope, consentId), Consent);
  }

  async revokeConsent(patientScope: string, consentId: string, revocation: ConsentRevocation): Promise<boolean> {
    const key = keys.consent(patientScope, consentId);
    try {
      await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.tableName,
          Key: { pk: { S: key.pk }, sk: { S: key.sk } },
          UpdateExpression: 'SET #record.revokedOn = :on, #record.revokedBy = :by, #record.revokedAt = :at',
          ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#record.revokedOn)',
          ExpressionAttributeNames: { '#pk': NAMES['#pk'], '#record': NAMES['#record'] },
          ExpressionAttributeValues: {
            ':on': { S: revocation.revokedOn },
            ':by': { S: revocation.revokedBy },
            ':at': { S: revocation.revokedAt },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async listConsents(patientScope: string): Promise<Consent[]> {
    const consents = await this.queryPartition(`consent#${patientScope}`, Consent);
    return consents.sort((a, b) => a.grantedOn.localeCompare(b.grantedOn) || a.recordedAt.localeCompare(b.recordedAt));
  }

  private incidentItem(incident: IncidentReport): Item {
    return toItem(keys.incident(incident.id), incident, {
      kind: { S: incidentKind(incident.status) },
      kindSort: { S: `${incident.reportedAt}#${incident.id}` },
    });
  }

  private async read<Schema extends z.ZodType>(key: Key, schema: Schema): Promise<z.infer<Schema> | undefined> {
    const { Item } = await this.options.client.send(
      new GetItemCommand({
        TableName: this.options.tableName,
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem(Item, schema) : undefined;
  }

  private async put(item: Item): Promise<void> {
    await this.options.client.send(new PutItemCommand({ TableName: this.options.tableName, Item: item }));
  }

  /** Resolves false when the condition failed; any other error propagates. */
  private async conditionalPut(
    item: Item,
    condition: Pick<
      PutItemCommandInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.options.client.send(
        new PutItemCommand({ TableName: this.options.tableName, Item: item, ...condition }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async queryPartition<Schema extends z.ZodType>(
    pk: string,
    schema: Schema,
    sortPrefix?: string,
  ): Promise<z.infer<Schema>[]> {
    return this.query(
      {
        KeyConditionExpression: sortPrefix === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': 'pk', ...(sortPrefix === undefined ? {} : { '#sk': 'sk' }) },
        ExpressionAttributeValues: {
          ':pk': { S: pk },
          ...(sortPrefix === undefined ? {} : { ':prefix': { S: sortPrefix } }),
        },
        ConsistentRead: true,
      },
      schema,
    );
  }

  /** Index reads are eventually consistent (GSIs offer nothing else). */
  private async queryKind<Schema extends z.ZodType>(kind: string, schema: Schema): Promise<z.infer<Schema>[]> {
    return this.query(
      {
        IndexName: BY_KIND,
        KeyConditionExpression: '#kind = :kind',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':kind': { S: kind } },
      },
      schema,
    );
  }

  private async query<Schema extends z.ZodType>(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
    schema: Schema,
  ): Promise<z.infer<Schema>[]> {
    const records: z.infer<Schema>[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({ ...input, TableName: this.options.tableName, ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) records.push(fromItem(item, schema));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }
}

function toItem(key: Key, record: object, extra: Item = {}): Item {
  return { pk: { S: key.pk }, sk: { S: key.sk }, ...extra, record: toAttribute(record) };
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
  throw new TypeError('A policy record holds only strings, numbers, booleans, lists and maps');
}

/** The stored record, validated: an item that fails its schema is an error, never a silently permissive value. */
function fromItem<Schema extends z.ZodType>(item: Item, schema: Schema): z.infer<Schema> {
  const parsed = schema.safeParse(item.record ? fromAttribute(item.record) : undefined);
  if (!parsed.success) throw new Error(`A policy item does not match its schema (item kind: ${itemKind(item)})`);
  return parsed.data;
}

// Names the kind of item in an error without its identifiers.
function itemKind(item: Item): string {
  return (item.pk?.S ?? '').split('#')[0] ?? '';
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
