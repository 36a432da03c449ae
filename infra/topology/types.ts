/** The vocabulary of the topology: the one declaration that the CDK app and the local runtime both realize. */
import type { EventPattern } from '../../shared/events/event-definition.ts';

export type KeyType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
}

/** Which customer-managed key encrypts a table at rest in AWS. */
export type TableKey = 'app' | 'vault' | 'audit';

export interface TableSpec {
  readonly description: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly indexes?: readonly IndexSpec[];
  /** Attribute holding an epoch-seconds expiry; DynamoDB TTL in AWS, the sweeper locally. */
  readonly ttlAttribute?: string;
  readonly key: TableKey;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway resource path, e.g. `/v1/drafts/{draftId}`. */
  readonly path: string;
  /**
   * `none` only for the health check and `/v1/public/...` routes (the patient FAQ, which takes no PHI); every
   * other route needs a signed-in user.
   */
  readonly auth: 'none' | 'user';
  /** A stricter per-route limit than the stage's, in requests per second (API Gateway method throttling). */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

export interface RuleSpec {
  /** Stable name used for the rule, its dead-letter queue and alarms. */
  readonly name: string;
  readonly pattern: EventPattern;
}

export interface ScheduleSpec {
  readonly name: string;
  /** `rate(5 minutes)` or `cron(0 6 * * ? *)`, as EventBridge Scheduler takes them (UTC). */
  readonly expression: string;
}

export type TableAccess = 'read' | 'readwrite';

/**
 * Capabilities a function needs beyond its tables; each maps to one least-privilege IAM grant and the environment
 * the composition root reads for it:
 * - `events:publish`: PutEvents on the application bus (EVENT_BUS_NAME); every audited function needs it.
 * - `phi:detect`: Comprehend Medical DetectPHI (PHI_DETECTORS).
 * - `vault:crypto`: GenerateDataKey/Decrypt on the vault key and GenerateMac on the token MAC key
 *   (VAULT_KEY_ID, TOKEN_MAC_KEY_ID, VAULT_RETENTION_DAYS).
 * - `audit:write`: the audit retention period for new records (AUDIT_RETENTION_YEARS); table access comes from
 *   the table grant.
 * - `audit:archive`: PutObject into the object-locked audit archive bucket (AUDIT_ARCHIVE_BUCKET).
 * - `model:invoke`: Bedrock InvokeModel/InvokeModelWithResponseStream on the configured approved models only.
 * - `alerts:notify`: Publish to the encrypted privacy-officer topic (PRIVACY_TOPIC_ARN).
 * - `knowledge:embed`: Bedrock InvokeModel on the Titan Text Embeddings V2 model only (KNOWLEDGE_EMBEDDINGS).
 */
export type Capability =
  | 'events:publish'
  | 'phi:detect'
  | 'vault:crypto'
  | 'audit:write'
  | 'audit:archive'
  | 'model:invoke'
  | 'alerts:notify'
  | 'knowledge:embed';

export interface FunctionSpec<TableName extends string = string> {
  readonly description: string;
  /** Path of the handler module from the repository root; it exports `handler`. */
  readonly entry: string;
  readonly routes?: readonly RouteSpec[];
  readonly rules?: readonly RuleSpec[];
  readonly schedules?: readonly ScheduleSpec[];
  readonly tables?: Readonly<Partial<Record<TableName, TableAccess>>>;
  readonly capabilities?: readonly Capability[];
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
}

export interface Topology<TableName extends string = string> {
  readonly tables: Readonly<Record<TableName, TableSpec>>;
  readonly functions: Readonly<Record<string, FunctionSpec<TableName>>>;
}

/** Declares a topology with its table names checked against every function's table grants. */
export function defineTopology<const TableName extends string>(topology: Topology<TableName>): Topology<TableName> {
  return topology;
}
