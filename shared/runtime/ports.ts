/** The composition root's product: the ports every use case receives, built once per process. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IntegrationCaller } from '../identity/integration-callers.ts';
import type { KnowledgeIndexCache } from '../knowledge/knowledge-index-cache.ts';
import type { AuditArchive } from '../ports/audit-archive.ts';
import type { AuditSink } from '../ports/audit-sink.ts';
import type { AuditStore } from '../ports/audit-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { CodeInference } from '../ports/code-inference.ts';
import type { ConnectionPush } from '../ports/connection-push.ts';
import type { DraftStore } from '../ports/draft-store.ts';
import type { EncounterStore } from '../ports/encounter-store.ts';
import type { EnvelopeKeys } from '../ports/envelope-keys.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { Ids } from '../ports/ids.ts';
import type { KnowledgeStore } from '../ports/knowledge-store.ts';
import type { ModelClient } from '../ports/model-client.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';
import type { PolicyStore } from '../ports/policy-store.ts';
import type { TokenMac } from '../ports/token-mac.ts';
import type { TokenVault } from '../ports/token-vault.ts';
import type { Transcriber } from '../ports/transcriber.ts';
import { buildAwsPorts } from './aws-ports.ts';

export type RuntimeKind = 'aws' | 'local';

/** What `/v1/health` reports for one port: which adapter, and whether it talks to AWS or runs locally. */
export interface AdapterInfo {
  readonly adapter: string;
  readonly kind: RuntimeKind;
  /** Present when the adapter is a stand-in with reduced capability; printed loudly at start-up. */
  readonly limitation?: string;
}

/** DynamoDB access shared by the table-backed adapters: the real SDK client and the physical table names. */
export interface TableStore {
  readonly client: DynamoDBClient;
  nameOf(logicalName: string): string;
}

export interface Ports {
  readonly runtime: RuntimeKind;
  readonly version: string;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly events: EventPublisher;
  readonly audit: AuditSink;
  readonly auditStore: AuditStore;
  readonly auditArchive: AuditArchive;
  readonly phiDetector: PhiDetector;
  /** ICD-10-CM codes from de-identified documentation, for coding reviews (Comprehend Medical, or a stand-in). */
  readonly codeInference: CodeInference;
  readonly tokenVault: TokenVault;
  /** The vault's keyed MAC (KMS HMAC key in AWS): for fingerprints of PHI that must not be guessable. */
  readonly tokenMac: TokenMac;
  readonly panels: PanelDirectory;
  readonly policy: PolicyStore;
  /** The model clients this deployment can reach, by the registry's client kind. */
  readonly modelClients: Readonly<Partial<Record<'bedrock' | 'openai-compatible' | 'offline', ModelClient>>>;
  /** Tells the privacy officer about incidents (SNS e-mail in AWS, the console locally). */
  readonly notifier: Notifier;
  readonly knowledgeStore: KnowledgeStore;
  /** Draft jobs and their review (tokenized). */
  readonly drafts: DraftStore;
  /** This process's retrieval index over the knowledge base, rebuilt when the documents change. */
  readonly knowledgeIndex: KnowledgeIndexCache;
  /** Encounter state, sealed transcript segments and the sockets streaming them. */
  readonly encounters: EncounterStore;
  /** Wraps each encounter's transcript data key (KMS in AWS, the local master key file locally). */
  readonly encounterKeys: EnvelopeKeys;
  /**
   * Pushes progress (partials) to encounter sockets: the local socket locally; unavailable in AWS, where replies travel
   * as route responses. Also knows the socket URL handed to clients.
   */
  readonly connections: ConnectionPush;
  /** Encounter audio (and text frames) to transcript results: Transcribe Medical in AWS, stand-ins locally. */
  readonly transcriber: Transcriber;
  readonly tables: TableStore;
  /** Server-to-server callers signed with IAM, by principal; none when unset (Cognito users only). */
  readonly integrationCallers?: readonly IntegrationCaller[];
  readonly adapters: Readonly<Record<string, AdapterInfo>>;
}

let current: Ports | undefined;
/** Ports installed by `usePorts`, newest last: releasing one restores the one installed before it. */
const installed: Ports[] = [];

/** The ports of this process: installed by the local runtime or a test, otherwise built for AWS from the environment. */
export function getPorts(): Ports {
  current ??= buildAwsPorts(process.env);
  return current;
}

/**
 * Installs ports for this process (the local runtime and tests); returns a function that removes them. The newest
 * installation is the one in use; removing it brings back the previous one, so a test that starts and stops a
 * second local system leaves the first one working.
 */
export function usePorts(ports: Ports): () => void {
  installed.push(ports);
  current = ports;
  return () => {
    const at = installed.lastIndexOf(ports);
    if (at < 0) return;
    installed.splice(at, 1);
    current = installed.at(-1);
  };
}
