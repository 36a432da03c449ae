/**
 * Builds the ports for the local runtime: the same DynamoDB adapters against dynalite, the in-process bus, the
 * rule-based PHI detector, and key files under the data folder standing in for KMS.
 */
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAuditStore } from '../adapters/aws/dynamodb-audit-store.ts';
import { createDynamoDbClient } from '../adapters/aws/dynamodb-client.ts';
import { DynamoDbDraftStore } from '../adapters/aws/dynamodb-draft-store.ts';
import { DynamoDbEncounterStore } from '../adapters/aws/dynamodb-encounter-store.ts';
import { DynamoDbKnowledgeStore } from '../adapters/aws/dynamodb-knowledge-store.ts';
import { DynamoDbPanelDirectory } from '../adapters/aws/dynamodb-panel-directory.ts';
import { DynamoDbPolicyStore } from '../adapters/aws/dynamodb-policy-store.ts';
import { DynamoDbTokenVault } from '../adapters/aws/dynamodb-token-vault.ts';
import { ConsoleNotifier } from '../adapters/local/console-notifier.ts';
import { FileAuditArchive } from '../adapters/local/file-audit-archive.ts';
import type { InProcessEventBus } from '../adapters/local/in-process-event-bus.ts';
import { LocalConnectionPush } from '../adapters/local/local-connection-push.ts';
import { LocalEnvelopeKeys } from '../adapters/local/local-envelope-keys.ts';
import { loadOrCreateKeyFile } from '../adapters/local/local-key-file.ts';
import { LocalPhiDetector } from '../adapters/local/local-phi-detector.ts';
import { LocalTokenMac } from '../adapters/local/local-token-mac.ts';
import { OfflineCodeInference } from '../adapters/local/offline-code-inference.ts';
import { OfflineModelClient } from '../adapters/local/offline-model-client.ts';
import { OpenAICompatibleModelClient } from '../adapters/local/openai-compatible-model-client.ts';
import { EventAuditSink } from '../audit/event-audit-sink.ts';
import type { IntegrationCaller } from '../identity/integration-callers.ts';
import { HybridRetriever } from '../knowledge/hybrid-retriever.ts';
import { KnowledgeIndexCache } from '../knowledge/knowledge-index-cache.ts';
import type { Clock } from '../ports/clock.ts';
import type { Ids } from '../ports/ids.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';
import { buildLocalTranscriber, type LocalTranscriberChoice } from './local-transcriber.ts';
import type { Ports } from './ports.ts';
import { SERVICE_VERSION } from './version.ts';

export const LOCAL_REGION = 'us-east-1';

/** The embedded detector, also used on its own by the CLI's scan. */
export function localPhiDetector(): PhiDetector {
  return new LocalPhiDetector();
}

export interface LocalPortsOptions {
  readonly dynamoEndpoint: string;
  readonly bus: InProcessEventBus;
  readonly clock: Clock;
  readonly ids: Ids;
  /** Holds `keys/vault-master.key` and `keys/token-mac.key`. */
  readonly dataDir: string;
  readonly vaultRetentionDays?: number;
  /** Days a draft is kept (default 30); at most the vault retention, since drafts are re-identified from it. */
  readonly draftRetentionDays?: number;
  readonly auditRetentionYears?: number;
  /** A self-hosted OpenAI-compatible server (e.g. Ollama on this machine) to use besides the offline model. */
  readonly openAiCompatibleBaseUrl?: string;
  /** Server-to-server integrations the local gateway can act as (`cag dev-token --integration NAME`). */
  readonly integrationCallers?: readonly IntegrationCaller[];
  /** Where the local WebSocket gateway registers encounter sockets (a fresh one when absent). */
  readonly connections?: LocalConnectionPush;
  /**
   * The transcriber (`LOCAL_TRANSCRIBER`, read by the local runtime) and, for `transcribe-fake`, the loopback fake's
   * endpoint. Absent: transcripts only (text frames), audio is refused.
   */
  readonly transcriber?: { readonly choice: LocalTranscriberChoice; readonly transcribeEndpoint?: string };
}

function knowledgePorts(client: DynamoDBClient, tableName: string, clock: Clock) {
  const knowledgeStore = new DynamoDbKnowledgeStore({ client, tableName, clock });
  return { knowledgeStore, knowledgeIndex: new KnowledgeIndexCache(knowledgeStore, () => new HybridRetriever()) };
}

export async function buildLocalPorts(options: LocalPortsOptions): Promise<Ports> {
  const client = createDynamoDbClient({ region: LOCAL_REGION, endpoint: options.dynamoEndpoint });
  const tables = { client, nameOf: (logical: string) => logical };
  const [masterKey, macKey] = await Promise.all([
    loadOrCreateKeyFile(join(options.dataDir, 'keys', 'vault-master.key')),
    loadOrCreateKeyFile(join(options.dataDir, 'keys', 'token-mac.key')),
  ]);
  const tokenMac = new LocalTokenMac(macKey);
  const transcription = buildLocalTranscriber({
    choice: options.transcriber?.choice ?? 'text-frames',
    region: LOCAL_REGION,
    ...(options.transcriber?.transcribeEndpoint ? { transcribeEndpoint: options.transcriber.transcribeEndpoint } : {}),
  });
  return {
    runtime: 'local',
    version: SERVICE_VERSION,
    clock: options.clock,
    ids: options.ids,
    events: options.bus,
    audit: new EventAuditSink(options.bus),
    auditStore: new DynamoDbAuditStore({
      client,
      tableName: tables.nameOf('audit'),
      retentionYears: options.auditRetentionYears ?? 6,
    }),
    auditArchive: new FileAuditArchive(join(options.dataDir, 'audit-archive'), options.clock),
    tables,
    integrationCallers: options.integrationCallers ?? [],
    phiDetector: localPhiDetector(),
    codeInference: new OfflineCodeInference(),
    tokenMac,
    tokenVault: new DynamoDbTokenVault({
      client,
      tableName: tables.nameOf('vault'),
      keys: new LocalEnvelopeKeys(masterKey),
      mac: tokenMac,
      clock: options.clock,
      retentionSeconds: (options.vaultRetentionDays ?? 90) * 86_400,
    }),
    panels: new DynamoDbPanelDirectory(client, tables.nameOf('panels'), options.clock),
    policy: new DynamoDbPolicyStore({ client, tableName: tables.nameOf('policy') }),
    modelClients: {
      offline: new OfflineModelClient(),
      ...(options.openAiCompatibleBaseUrl
        ? { 'openai-compatible': new OpenAICompatibleModelClient({ baseUrl: options.openAiCompatibleBaseUrl }) }
        : {}),
    },
    notifier: new ConsoleNotifier(),
    ...knowledgePorts(client, tables.nameOf('knowledge'), options.clock),
    encounters: new DynamoDbEncounterStore(client, tables.nameOf('encounters')),
    // Transcripts are PHI like the vault's values: the same master key wraps their data keys, under its own context.
    encounterKeys: new LocalEnvelopeKeys(masterKey),
    connections: options.connections ?? new LocalConnectionPush(),
    transcriber: transcription.transcriber,
    drafts: new DynamoDbDraftStore({
      client,
      tableName: tables.nameOf('drafts'),
      clock: options.clock,
      retentionDays: options.draftRetentionDays ?? 30,
    }),
    adapters: {
      events: { adapter: 'InProcessEventBus', kind: 'local' },
      audit: { adapter: 'EventAuditSink (in-process bus)', kind: 'local' },
      auditStore: { adapter: 'DynamoDbAuditStore (hash-chained, dynalite)', kind: 'local' },
      auditArchive: { adapter: 'FileAuditArchive (.data/audit-archive, read-only files)', kind: 'local' },
      tables: { adapter: 'DynamoDB (dynalite)', kind: 'local' },
      phiDetector: {
        adapter: 'LocalPhiDetector (rules and dictionaries)',
        kind: 'local',
        limitation: 'rule-based only; AWS adds Amazon Comprehend Medical in an ensemble',
      },
      codeInference: {
        adapter: 'OfflineCodeInference (curated primary-care ICD-10-CM table)',
        kind: 'local',
        limitation:
          'STAND-IN CODE INFERENCE: matches ~130 common primary-care ICD-10-CM codes by their usual wording with ' +
          'simple negation; not a coding engine. Coding reviews made with it are for trying the workflow only; AWS ' +
          'uses Amazon Comprehend Medical InferICD10CM, and a certified coder decides every code either way.',
      },
      tokenVault: { adapter: 'DynamoDbTokenVault (local AES-256-GCM key file, local HMAC key file)', kind: 'local' },
      panels: { adapter: 'DynamoDbPanelDirectory (dynalite)', kind: 'local' },
      policy: { adapter: 'DynamoDbPolicyStore (dynalite)', kind: 'local' },
      modelClients: {
        adapter: options.openAiCompatibleBaseUrl
          ? 'OfflineModelClient + OpenAICompatibleModelClient'
          : 'OfflineModelClient',
        kind: 'local',
        limitation:
          'PLACEHOLDER MODEL: the offline client is not a language model; it restructures the de-identified input ' +
          'extractively and labels every output as such. Bedrock is used in AWS.',
      },
      notifier: { adapter: 'ConsoleNotifier (prints privacy-officer notices)', kind: 'local' },
      knowledgeStore: { adapter: 'DynamoDbKnowledgeStore (dynalite)', kind: 'local' },
      encounters: { adapter: 'DynamoDbEncounterStore (dynalite)', kind: 'local' },
      encounterKeys: { adapter: 'LocalEnvelopeKeys (local AES-256-GCM key file)', kind: 'local' },
      connections: {
        adapter: 'LocalConnectionPush (local WebSocket gateway; partials pushed, not in AWS)',
        kind: 'local',
      },
      drafts: { adapter: 'DynamoDbDraftStore (dynalite)', kind: 'local' },
      transcriber: transcription.info,
      knowledgeIndex: {
        adapter: 'HybridRetriever (bm25, lexical only)',
        kind: 'local',
        limitation: 'lexical retrieval only: no embedding model can be downloaded here; AWS adds Titan embeddings',
      },
    },
  };
}
