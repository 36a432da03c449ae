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

/**
 * A route of the encounter WebSocket API (API Gateway WebSocket in AWS, the local WebSocket gateway locally):
 * `$connect` (authorized: the token is verified before the function runs), `$disconnect`, `$default`, or a name the
 * route selection expression `$request.body.action` picks.
 */
export interface SocketRouteSpec {
  readonly routeKey: '$connect' | '$disconnect' | '$default' | (string & {});
  /**
   * A two-way route: what the function returns as `body` is sent back to the client as one message (an API Gateway
   * route response with `routeResponseSelectionExpression: '$default'`; the local gateway does the same). The only
   * way a function in the isolated subnets can answer the client: `@connections` is not reachable from there.
   */
  readonly respond?: true;
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

/**
 * `read`: reads only. `append`: reads and PutItem, for an append-only table whose writer adds items under an
 * `attribute_not_exists` condition and never updates or deletes one (the audit chain). `readwrite`: every item write.
 */
export type TableAccess = 'read' | 'append' | 'readwrite';

/**
 * Capabilities a function needs beyond its tables; each maps to one least-privilege IAM grant and the environment
 * the composition root reads for it:
 * - `events:publish`: PutEvents on the application bus (EVENT_BUS_NAME); every audited function needs it.
 * - `phi:detect`: Comprehend Medical DetectPHI (PHI_DETECTORS).
 * - `codes:infer`: Comprehend Medical InferICD10CM for coding reviews (CODE_INFERENCE).
 * - `vault:crypto`: GenerateDataKey/Decrypt on the vault key, only under the `token-vault` encryption context, and
 *   GenerateMac on the token MAC key (VAULT_KEY_ID, TOKEN_MAC_KEY_ID, VAULT_RETENTION_DAYS).
 * - `audit:write`: the audit retention period for new records (AUDIT_RETENTION_YEARS); table access comes from
 *   the table grant.
 * - `audit:archive`: PutObject into the object-locked audit archive bucket (AUDIT_ARCHIVE_BUCKET).
 * - `model:invoke`: Bedrock InvokeModel/InvokeModelWithResponseStream on the configured approved models only, and
 *   ApplyGuardrail on the configured guardrail when there is one (BEDROCK_GUARDRAIL_ID, BEDROCK_GUARDRAIL_VERSION).
 * - `alerts:notify`: Publish to the encrypted privacy-officer topic, and its key only through SNS (PRIVACY_TOPIC_ARN).
 * - `knowledge:embed`: Bedrock InvokeModel on the Titan Text Embeddings V2 model only (KNOWLEDGE_EMBEDDINGS).
 * - `connections:url`: the encounter WebSocket API's URL only, to hand to clients (ENCOUNTER_SOCKET_URL); no IAM.
 * - `transcript:seal`: GenerateDataKey on the vault key, only under the `encounter-transcript` encryption context
 *   (ENCOUNTER_KEY_ID): for the function that makes an encounter's transcript key.
 * - `transcript:open`: Decrypt on the vault key, only under the `encounter-transcript` encryption context
 *   (ENCOUNTER_KEY_ID): for the functions that read or append to a transcript.
 * - `drafts:retain`: how long a new draft is kept before DynamoDB TTL removes it (DRAFT_RETENTION_DAYS).
 * - `transcribe:stream`: Transcribe Medical StartMedicalStreamTranscription (TRANSCRIBER=transcribe-medical).
 */
export type Capability =
  | 'events:publish'
  | 'phi:detect'
  | 'codes:infer'
  | 'vault:crypto'
  | 'audit:write'
  | 'audit:archive'
  | 'model:invoke'
  | 'alerts:notify'
  | 'knowledge:embed'
  | 'drafts:retain'
  | 'transcribe:stream'
  | 'connections:url'
  | 'transcript:seal'
  | 'transcript:open';

/**
 * The part of the system a function belongs to; in AWS each area is one stack of functions. CloudFormation allows
 * 500 resources per stack and a hardened function brings about a dozen, so one stack could not hold them all.
 * - `gateway`: health, PHI scan, de-identification, re-identification, direct AI invocations.
 * - `governance`: panels, the AI policy registry, attestations, incidents, consents and the audit trail.
 * - `knowledge`: the practice's documents, retrieval and the public FAQ.
 * - `clinical`: drafts and their review, encounters and transcription.
 */
export const FUNCTION_AREAS = ['gateway', 'governance', 'knowledge', 'clinical'] as const;
export type FunctionArea = (typeof FUNCTION_AREAS)[number];

/** See `FunctionSpec.network`. */
export interface OutsideVpcPlacement {
  readonly placement: 'outside-vpc';
  /** The function's own declaration that it handles no PHI; the only value the type allows. */
  readonly phi: 'none';
  /** Why it needs the internet; recorded as the cdk-nag acknowledgement of running outside the VPC. */
  readonly reason: string;
}

export interface FunctionSpec<TableName extends string = string> {
  readonly description: string;
  /** Which area (and so which AWS stack) the function belongs to. */
  readonly area: FunctionArea;
  /** Path of the handler module from the repository root; it exports `handler`. */
  readonly entry: string;
  readonly routes?: readonly RouteSpec[];
  readonly socketRoutes?: readonly SocketRouteSpec[];
  /**
   * The Lambda REQUEST authorizer of the socket API's `$connect` (AWS only: the local gateway verifies dev tokens
   * itself, as it does for the REST API's Cognito authorizer).
   */
  readonly socketAuthorizer?: true;
  /**
   * Where the function runs; absent means inside the isolated subnets, with no internet egress (every function that
   * may touch PHI). `outside-vpc` runs it in Lambda's own network with internet access, and is allowed only for a
   * function that declares `phi: 'none'` and has no tables and no capabilities (checked when the app is built): the
   * socket authorizer, which verifies a JWT against Cognito's public JWKS endpoint and sees no patient data.
   */
  readonly network?: OutsideVpcPlacement;
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
