/**
 * Builds the ports for a Lambda in AWS from its environment. Each port is built on first use, so a function only
 * needs the variables (and IAM grants) of the ports it actually uses; a missing variable fails fast with its name.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { BedrockModelClient } from '../adapters/aws/bedrock-model-client.ts';
import { ComprehendMedicalCodeInference } from '../adapters/aws/comprehend-medical-code-inference.ts';
import { ComprehendMedicalDetector } from '../adapters/aws/comprehend-medical-detector.ts';
import { DynamoDbAuditStore } from '../adapters/aws/dynamodb-audit-store.ts';
import { createDynamoDbClient } from '../adapters/aws/dynamodb-client.ts';
import { DynamoDbDraftStore } from '../adapters/aws/dynamodb-draft-store.ts';
import { DynamoDbEncounterStore } from '../adapters/aws/dynamodb-encounter-store.ts';
import { DynamoDbKnowledgeStore } from '../adapters/aws/dynamodb-knowledge-store.ts';
import { DynamoDbPanelDirectory } from '../adapters/aws/dynamodb-panel-directory.ts';
import { DynamoDbPolicyStore } from '../adapters/aws/dynamodb-policy-store.ts';
import { DynamoDbTokenVault } from '../adapters/aws/dynamodb-token-vault.ts';
import { EventBridgePublisher } from '../adapters/aws/eventbridge-publisher.ts';
import { KmsEnvelopeKeys } from '../adapters/aws/kms-envelope-keys.ts';
import { KmsTokenMac } from '../adapters/aws/kms-token-mac.ts';
import { S3AuditArchive } from '../adapters/aws/s3-audit-archive.ts';
import { SnsNotifier } from '../adapters/aws/sns-notifier.ts';
import { TitanEmbedder } from '../adapters/aws/titan-embedder.ts';
import { TranscribeMedicalTranscriber } from '../adapters/aws/transcribe-medical-transcriber.ts';
import { UnavailableConnectionPush } from '../adapters/aws/unavailable-connection-push.ts';
import { InMemoryVectorIndex } from '../adapters/local/in-memory-vector-index.ts';
import { LocalPhiDetector } from '../adapters/local/local-phi-detector.ts';
import { OfflineModelClient } from '../adapters/local/offline-model-client.ts';
import { OpenAICompatibleModelClient } from '../adapters/local/openai-compatible-model-client.ts';
import { TextFrameTranscriber } from '../adapters/local/text-frame-transcriber.ts';
import { EventAuditSink } from '../audit/event-audit-sink.ts';
import { type IntegrationCaller, IntegrationCallers } from '../identity/integration-callers.ts';
import { HybridRetriever } from '../knowledge/hybrid-retriever.ts';
import { KnowledgeIndexCache } from '../knowledge/knowledge-index-cache.ts';
import { tracer } from '../observability/telemetry.ts';
import { EnsembleDetector } from '../phi/ensemble-detector.ts';
import type { AuditArchive } from '../ports/audit-archive.ts';
import type { AuditSink } from '../ports/audit-sink.ts';
import type { AuditStore } from '../ports/audit-store.ts';
import { systemClock } from '../ports/clock.ts';
import { type CodeInference, UngrantedCodeInference } from '../ports/code-inference.ts';
import type { ConnectionPush } from '../ports/connection-push.ts';
import type { DraftStore } from '../ports/draft-store.ts';
import type { EncounterStore } from '../ports/encounter-store.ts';
import type { EnvelopeKeys } from '../ports/envelope-keys.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import { randomIds } from '../ports/ids.ts';
import type { KnowledgeStore } from '../ports/knowledge-store.ts';
import type { ModelClient } from '../ports/model-client.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';
import type { PolicyStore } from '../ports/policy-store.ts';
import type { TokenMac } from '../ports/token-mac.ts';
import type { TokenVault } from '../ports/token-vault.ts';
import type { Transcriber } from '../ports/transcriber.ts';
import { RoutingTranscriber } from '../transcription/routing-transcriber.ts';
import { ENV } from './environment-names.ts';
import type { Ports, TableStore } from './ports.ts';
import { tableEnvVar } from './table-env.ts';
import { SERVICE_VERSION } from './version.ts';

type Environment = Readonly<Record<string, string | undefined>>;

/** Which detectors the ensemble runs, from `PHI_DETECTORS` (comma-separated); both by default. */
export const DETECTOR_NAMES = ['comprehend-medical', 'local-rules'] as const;

export function buildAwsPorts(env: Environment): Ports {
  const read = (key: string): string => {
    const value = env[key]?.trim();
    if (!value) throw new Error(`Environment variable ${key} is required`);
    return value;
  };
  const region = read('AWS_REGION');
  let events: EventPublisher | undefined;
  let audit: AuditSink | undefined;
  let auditStore: AuditStore | undefined;
  let auditArchive: AuditArchive | undefined;
  let tables: TableStore | undefined;
  let kms: KMSClient | undefined;
  let detector: PhiDetector | undefined;
  let codeInference: CodeInference | undefined;
  let vault: TokenVault | undefined;
  let panels: PanelDirectory | undefined;
  let policy: PolicyStore | undefined;
  let modelClients: Ports['modelClients'] | undefined;
  let notifier: Notifier | undefined;
  let knowledgeStore: KnowledgeStore | undefined;
  let knowledgeIndex: KnowledgeIndexCache | undefined;
  let encounters: EncounterStore | undefined;
  let encounterKeys: EnvelopeKeys | undefined;
  let connections: ConnectionPush | undefined;
  let drafts: DraftStore | undefined;
  let transcriber: Transcriber | undefined;
  const kmsClient = () => {
    kms ??= tracer.captureAWSv3Client(new KMSClient({ region }));
    return kms;
  };
  const detectorNames = (env[ENV.phiDetectors] ?? DETECTOR_NAMES.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);

  let integrationCallers: readonly IntegrationCaller[] | undefined;
  let tokenMac: TokenMac | undefined;
  const ports: Ports = {
    runtime: 'aws',
    version: SERVICE_VERSION,
    clock: systemClock,
    ids: randomIds,
    get events() {
      events ??= EventBridgePublisher.create(read(ENV.eventBusName), region);
      return events;
    },
    get audit() {
      audit ??= new EventAuditSink(this.events);
      return audit;
    },
    get auditStore() {
      auditStore ??= new DynamoDbAuditStore({
        client: this.tables.client,
        tableName: this.tables.nameOf('audit'),
        // Only the audit writer appends, and its `audit:write` capability always sets the variable; readers
        // never use the retention, so they fall back to the HIPAA minimum rather than need the variable.
        retentionYears: env[ENV.auditRetentionYears] ? Number(read(ENV.auditRetentionYears)) : 6,
      });
      return auditStore;
    },
    get auditArchive() {
      auditArchive ??= new S3AuditArchive(
        tracer.captureAWSv3Client(new S3Client({ region })),
        read(ENV.auditArchiveBucket),
        systemClock,
      );
      return auditArchive;
    },
    get integrationCallers() {
      integrationCallers ??= readIntegrationCallers(env[ENV.integrationCallers]);
      return integrationCallers;
    },
    get tables() {
      tables ??= { client: createDynamoDbClient({ region }), nameOf: (logical) => read(tableEnvVar(logical)) };
      return tables;
    },
    get phiDetector() {
      detector ??= buildDetector(detectorNames, region);
      return detector;
    },
    get codeInference() {
      // Only functions granted `codes:infer` may call InferICD10CM. Any other gets an inference that refuses every
      // call (fail closed, never the offline stand-in), so handlers may pass the port along without using it.
      codeInference ??=
        env[ENV.codeInference] === 'comprehend-medical'
          ? ComprehendMedicalCodeInference.create(region)
          : new UngrantedCodeInference();
      return codeInference;
    },
    get tokenMac() {
      tokenMac ??= new KmsTokenMac(kmsClient(), read(ENV.tokenMacKeyId));
      return tokenMac;
    },
    get tokenVault() {
      vault ??= new DynamoDbTokenVault({
        client: this.tables.client,
        tableName: this.tables.nameOf('vault'),
        keys: new KmsEnvelopeKeys(kmsClient(), read(ENV.vaultKeyId)),
        mac: this.tokenMac,
        clock: systemClock,
        retentionSeconds: Number(read(ENV.vaultRetentionDays)) * 86_400,
      });
      return vault;
    },
    get panels() {
      panels ??= new DynamoDbPanelDirectory(this.tables.client, this.tables.nameOf('panels'), systemClock);
      return panels;
    },
    get policy() {
      policy ??= new DynamoDbPolicyStore({ client: this.tables.client, tableName: this.tables.nameOf('policy') });
      return policy;
    },
    get modelClients() {
      modelClients ??= buildModelClients(env, region);
      return modelClients;
    },
    get notifier() {
      notifier ??= new SnsNotifier(tracer.captureAWSv3Client(new SNSClient({ region })), read(ENV.privacyTopicArn));
      return notifier;
    },
    get knowledgeStore() {
      knowledgeStore ??= new DynamoDbKnowledgeStore({
        client: this.tables.client,
        tableName: this.tables.nameOf('knowledge'),
        clock: systemClock,
      });
      return knowledgeStore;
    },
    get transcriber() {
      // Only functions granted `transcribe:stream` get the variable; any other value is a deployment mistake.
      if (read(ENV.transcriber) !== 'transcribe-medical') throw new Error(`Unknown transcriber in ${ENV.transcriber}`);
      transcriber ??= new RoutingTranscriber(TranscribeMedicalTranscriber.create(region), new TextFrameTranscriber());
      return transcriber;
    },
    get drafts() {
      drafts ??= new DynamoDbDraftStore({
        client: this.tables.client,
        tableName: this.tables.nameOf('drafts'),
        clock: systemClock,
        // Only the request function creates drafts; its `drafts:retain` capability sets the variable.
        ...(env[ENV.draftRetentionDays] ? { retentionDays: Number(read(ENV.draftRetentionDays)) } : {}),
      });
      return drafts;
    },
    get encounters() {
      encounters ??= new DynamoDbEncounterStore(
        this.tables.client,
        this.tables.nameOf('encounters'),
        env[ENV.transcriptRetentionDays] ? Number(read(ENV.transcriptRetentionDays)) : undefined,
      );
      return encounters;
    },
    get encounterKeys() {
      encounterKeys ??= new KmsEnvelopeKeys(kmsClient(), read(ENV.encounterKeyId));
      return encounterKeys;
    },
    get connections() {
      connections ??= new UnavailableConnectionPush(() => read(ENV.encounterSocketUrl));
      return connections;
    },
    get knowledgeIndex() {
      const embeddings = env[ENV.knowledgeEmbeddings] === 'titan';
      knowledgeIndex ??= new KnowledgeIndexCache(this.knowledgeStore, () => {
        if (!embeddings) return new HybridRetriever();
        const embedder = TitanEmbedder.create(region);
        return new HybridRetriever({ vector: { embedder, index: new InMemoryVectorIndex(embedder.dimensions) } });
      });
      return knowledgeIndex;
    },
    adapters: {
      events: { adapter: 'EventBridgePublisher', kind: 'aws' },
      audit: { adapter: 'EventAuditSink (EventBridge)', kind: 'aws' },
      auditStore: { adapter: 'DynamoDbAuditStore (hash-chained)', kind: 'aws' },
      auditArchive: { adapter: 'S3AuditArchive (Object Lock)', kind: 'aws' },
      tables: { adapter: 'DynamoDB', kind: 'aws' },
      phiDetector: { adapter: `EnsembleDetector(${detectorNames.join('+')})`, kind: 'aws' },
      codeInference: {
        adapter:
          env[ENV.codeInference] === 'comprehend-medical'
            ? 'ComprehendMedicalCodeInference (InferICD10CM)'
            : 'none (this function has no codes:infer capability)',
        kind: 'aws',
      },
      tokenVault: { adapter: 'DynamoDbTokenVault (KMS envelope, KMS HMAC)', kind: 'aws' },
      panels: { adapter: 'DynamoDbPanelDirectory', kind: 'aws' },
      policy: { adapter: 'DynamoDbPolicyStore', kind: 'aws' },
      modelClients: {
        adapter: [
          'BedrockModelClient',
          ...(env[ENV.openAiCompatibleBaseUrl] ? ['OpenAICompatibleModelClient'] : []),
          ...(env[ENV.offlineModelEnabled] === 'true' ? ['OfflineModelClient (NOT a real model)'] : []),
        ].join(' + '),
        kind: 'aws',
      },
      notifier: { adapter: 'SnsNotifier', kind: 'aws' },
      knowledgeStore: { adapter: 'DynamoDbKnowledgeStore', kind: 'aws' },
      encounters: { adapter: 'DynamoDbEncounterStore', kind: 'aws' },
      encounterKeys: { adapter: 'KmsEnvelopeKeys (vault key, encounter-transcript context)', kind: 'aws' },
      connections: {
        adapter: 'UnavailableConnectionPush (replies are WebSocket route responses)',
        kind: 'aws',
        limitation:
          'no partial results in AWS: the functions have no route to @connections from the isolated subnets, so ' +
          'each segment answers once, with its finals, as the route response',
      },
      drafts: { adapter: 'DynamoDbDraftStore', kind: 'aws' },
      transcriber: { adapter: 'TranscribeMedicalTranscriber (+ text frames)', kind: 'aws' },
      knowledgeIndex: {
        adapter:
          env[ENV.knowledgeEmbeddings] === 'titan'
            ? 'HybridRetriever (BM25 + Titan Text Embeddings V2, reciprocal rank fusion)'
            : 'HybridRetriever (bm25, lexical only)',
        kind: 'aws',
      },
    },
  };
  return ports;
}

/**
 * Bedrock always; a self-hosted OpenAI-compatible server when its URL is configured; the offline stand-in only
 * when explicitly enabled (a development deployment), since its output is not a real model's.
 */
function buildModelClients(env: Environment, region: string): Ports['modelClients'] {
  const guardrailId = env[ENV.bedrockGuardrailId];
  const clients: Partial<Record<'bedrock' | 'openai-compatible' | 'offline', ModelClient>> = {
    bedrock: BedrockModelClient.create(region, {
      ...(guardrailId ? { guardrail: { id: guardrailId, version: env[ENV.bedrockGuardrailVersion] ?? 'DRAFT' } } : {}),
    }),
  };
  const baseUrl = env[ENV.openAiCompatibleBaseUrl];
  if (baseUrl) clients['openai-compatible'] = new OpenAICompatibleModelClient({ baseUrl });
  if (env[ENV.offlineModelEnabled] === 'true') clients.offline = new OfflineModelClient();
  return clients;
}

function buildDetector(names: readonly string[], region: string): PhiDetector {
  const detectors = names.map((name): PhiDetector => {
    if (name === 'comprehend-medical') return ComprehendMedicalDetector.create(region);
    if (name === 'local-rules') return new LocalPhiDetector();
    throw new Error(`Unknown PHI detector ${name} in PHI_DETECTORS`);
  });
  return new EnsembleDetector(detectors);
}

/** The audit store for an operator's command run with AWS credentials (`cag audit verify --aws`). */
export function awsAuditStore(options: { region: string; tableName: string }): AuditStore {
  return new DynamoDbAuditStore({
    client: createDynamoDbClient({ region: options.region }),
    tableName: options.tableName,
    retentionYears: 6,
  });
}

/** The configured integrations; a malformed value fails the cold start rather than admitting anyone. */
function readIntegrationCallers(raw: string | undefined): readonly IntegrationCaller[] {
  if (!raw?.trim()) return [];
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  const parsed = IntegrationCallers.safeParse(value);
  if (!parsed.success)
    throw new Error(`Environment variable ${ENV.integrationCallers} is not a valid integration list`);
  return parsed.data;
}
