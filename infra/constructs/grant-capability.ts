/** Realizes a topology capability as least-privilege grants and the environment the composition root reads for it. */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { TITAN_EMBEDDINGS_MODEL_ID } from '../../shared/knowledge/knowledge-document.ts';
import { ENV } from '../../shared/runtime/environment-names.ts';
import type { DeploymentConfig } from '../config.ts';
import type { Capability } from '../topology/types.ts';
import type { HardenedFunction } from './hardened-function.ts';
import { nagReference } from './nag-reference.ts';

/** The resources and settings capabilities are granted on. */
export interface CapabilityTargets {
  readonly eventBus: events.IEventBus;
  /** Envelope key of the token vault (GenerateDataKey/Decrypt under an encryption context). */
  readonly vaultKey: kms.IKey;
  /** HMAC key that derives deterministic vault tokens. */
  readonly tokenMacKey: kms.IKey;
  readonly vaultRetentionDays: number;
  /** Days a draft is kept; never longer than the vault keeps the tokens it is re-identified from. */
  readonly draftRetentionDays: number;
  /** Days an encounter and its transcript are kept (TTL); never longer than the vault retention. */
  readonly transcriptRetentionDays: number;
  /** Years a new audit record is kept before its chain may expire. */
  readonly auditRetentionYears: number;
  /** The object-locked bucket daily audit exports are written to. */
  readonly auditArchive: s3.IBucket;
  /** Bedrock model ids from the deployment config's approved models. */
  readonly bedrockModelIds: readonly string[];
  /** The deployment config's Bedrock Guardrail, applied to every call of the functions that invoke models. */
  readonly bedrockGuardrail: DeploymentConfig['bedrockGuardrail'];
  /** The encrypted topic the privacy officer subscribes to. */
  readonly privacyTopic: sns.ITopic;
}

/**
 * The `purpose` in the encryption context each user of the vault key sends (`keyContext` in
 * shared/adapters/aws/dynamodb-token-vault.ts, `transcriptKeyContext` in shared/transcription/transcript-cipher.ts):
 * each grant on the key is conditioned on its own purpose, so no capability can unwrap another's data keys.
 */
export const VAULT_KEY_PURPOSES = { tokenVault: 'token-vault', transcript: 'encounter-transcript' } as const;

/**
 * Resource ARNs a Bedrock model id needs: the foundation model, or for a cross-region inference profile
 * (`us.` / `eu.` / `apac.` prefix) the profile and the foundation model in every region it routes to.
 */
function bedrockModelArns(scope: Construct, modelId: string): string[] {
  const { partition, region, account } = Stack.of(scope);
  const profile = /^(us|eu|apac|global)\.(.+)$/.exec(modelId);
  if (!profile?.[2]) return [`arn:${partition}:bedrock:${region}::foundation-model/${modelId}`];
  return [
    `arn:${partition}:bedrock:${region}:${account}:inference-profile/${modelId}`,
    `arn:${partition}:bedrock:*::foundation-model/${profile[2]}`,
  ];
}

/**
 * One entry per capability; the mapped type makes a capability added to the topology a compile error until it is
 * granted here. The environment variable names are the ones shared/runtime/aws-ports.ts reads.
 */
const CAPABILITY_GRANTS: { readonly [C in Capability]: (fn: HardenedFunction, targets: CapabilityTargets) => void } = {
  'events:publish': (fn, { eventBus }) => {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PublishEvents',
        actions: ['events:PutEvents'],
        resources: [eventBus.eventBusArn],
      }),
    );
    fn.addEnvironment(ENV.eventBusName, eventBus.eventBusName);
  },
  'phi:detect': (fn) => {
    fn.addUnscopablePolicy('PhiDetectPolicy', {
      description: 'Comprehend Medical PHI detection for one function',
      statements: [
        new iam.PolicyStatement({ sid: 'DetectPhi', actions: ['comprehendmedical:DetectPHI'], resources: ['*'] }),
      ],
      reason:
        'Comprehend Medical DetectPHI is a stateless API with no resource type, so IAM cannot scope it below "*"; ' +
        'the policy holds that one action and no other.',
    });
  },
  'codes:infer': (fn) => {
    fn.addUnscopablePolicy('CodeInferencePolicy', {
      description: 'Comprehend Medical ICD-10-CM inference for one function',
      statements: [
        new iam.PolicyStatement({
          sid: 'InferIcd10Cm',
          actions: ['comprehendmedical:InferICD10CM'],
          resources: ['*'],
        }),
      ],
      reason:
        'Comprehend Medical InferICD10CM is a stateless API with no resource type, so IAM cannot scope it below "*"; ' +
        'the policy holds that one action and no other.',
    });
    fn.addEnvironment(ENV.codeInference, 'comprehend-medical');
  },
  'vault:crypto': (fn, { vaultKey, tokenMacKey, vaultRetentionDays }) => {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'VaultEnvelopeKeys',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [vaultKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': VAULT_KEY_PURPOSES.tokenVault } },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'VaultTokenMac', actions: ['kms:GenerateMac'], resources: [tokenMacKey.keyArn] }),
    );
    fn.addEnvironment(ENV.vaultKeyId, vaultKey.keyArn);
    fn.addEnvironment(ENV.tokenMacKeyId, tokenMacKey.keyArn);
    fn.addEnvironment(ENV.vaultRetentionDays, String(vaultRetentionDays));
  },
  'audit:write': (fn, { auditRetentionYears }) => {
    fn.addEnvironment(ENV.auditRetentionYears, String(auditRetentionYears));
  },
  'audit:archive': (fn, { auditArchive }) => {
    const bucketArn = referencedFrom(fn, auditArchive, auditArchive.bucketArn);
    const objects = `${bucketArn}/*`;
    // PutObject only: the bucket's default Object Lock retention applies without s3:PutObjectRetention, and the
    // exporter can neither read, delete, nor shorten or bypass a lock.
    fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ArchiveAuditExports', actions: ['s3:PutObject'], resources: [objects] }),
    );
    if (auditArchive.encryptionKey) {
      // A single-part SSE-KMS upload needs GenerateDataKey only, and here only through S3 for this bucket.
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ArchiveAuditExportsKey',
          actions: ['kms:GenerateDataKey'],
          resources: [auditArchive.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${Stack.of(fn).region}.amazonaws.com` },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, objects] },
          },
        }),
      );
    }
    fn.addEnvironment(ENV.auditArchiveBucket, auditArchive.bucketName);
    if (fn.role.policy) {
      Validations.of(fn.role.policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagReference(fn, objects)}]`,
        reason:
          'Each daily export is a new object whose key names the day and export time, so PutObject must cover the ' +
          "archive bucket's objects; it is the only S3 action granted, and Object Lock keeps every version unchanged.",
      });
    }
  },
  'model:invoke': (fn, { bedrockModelIds, bedrockGuardrail }) => {
    const resources = [...new Set(bedrockModelIds.flatMap((modelId) => bedrockModelArns(fn, modelId)))];
    // No approved model in the config: nothing to grant, and Bedrock refuses every call (fails closed).
    if (resources.length === 0) return;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvokeApprovedModels',
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        resources,
      }),
    );
    if (bedrockGuardrail) {
      // Converse checks ApplyGuardrail on the guardrail named in the call; the guardrail's ARN has no version.
      const { partition, region, account } = Stack.of(fn);
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ApplyConfiguredGuardrail',
          actions: ['bedrock:ApplyGuardrail'],
          resources: [`arn:${partition}:bedrock:${region}:${account}:guardrail/${bedrockGuardrail.id}`],
        }),
      );
      fn.addEnvironment(ENV.bedrockGuardrailId, bedrockGuardrail.id);
      fn.addEnvironment(ENV.bedrockGuardrailVersion, bedrockGuardrail.version);
    }
    for (const arn of resources.filter((resource) => resource.includes(':bedrock:*::'))) {
      if (!fn.role.policy) continue;
      Validations.of(fn.role.policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagReference(fn, arn)}]`,
        reason:
          'A cross-region inference profile routes each request to the same foundation model in one of several ' +
          'regions of its geography, so InvokeModel must be allowed on that one model in any region; the model is ' +
          "named exactly and came from the deployment's approved models.",
      });
    }
  },
  'alerts:notify': (fn, { privacyTopic }) => {
    // Exact actions rather than Topic.grantPublish, which adds kms:GenerateDataKey* on the topic's key.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'NotifyPrivacyOfficer',
        actions: ['sns:Publish'],
        resources: [privacyTopic.topicArn],
      }),
    );
    if (privacyTopic.masterKey) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'EncryptPrivacyNotices',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [privacyTopic.masterKey.keyArn],
          // The key also encrypts the dead-letter queues: only SNS may use it for this function, on publish.
          conditions: { StringEquals: { 'kms:ViaService': `sns.${Stack.of(fn).region}.amazonaws.com` } },
        }),
      );
    }
    fn.addEnvironment(ENV.privacyTopicArn, privacyTopic.topicArn);
  },
  'knowledge:embed': (fn) => {
    const { partition, region } = Stack.of(fn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'EmbedKnowledge',
        actions: ['bedrock:InvokeModel'],
        resources: [`arn:${partition}:bedrock:${region}::foundation-model/${TITAN_EMBEDDINGS_MODEL_ID}`],
      }),
    );
    fn.addEnvironment(ENV.knowledgeEmbeddings, 'titan');
  },
  'drafts:retain': (fn, { draftRetentionDays }) => {
    fn.addEnvironment(ENV.draftRetentionDays, String(draftRetentionDays));
  },
  // Transcripts are PHI like the vault's values, so the vault key wraps their data keys; the condition keeps these
  // grants to transcript data keys only, never the vault's own. Only the function that opens an encounter makes a
  // key (seal); the ones that read or append to a transcript only unwrap it (open).
  'transcript:seal': (fn, { vaultKey, transcriptRetentionDays }) => {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'TranscriptKeySeal',
        actions: ['kms:GenerateDataKey'],
        resources: [vaultKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': VAULT_KEY_PURPOSES.transcript } },
      }),
    );
    fn.addEnvironment(ENV.encounterKeyId, vaultKey.keyArn);
    fn.addEnvironment(ENV.transcriptRetentionDays, String(transcriptRetentionDays));
  },
  'transcript:open': (fn, { vaultKey, transcriptRetentionDays }) => {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'TranscriptKeyOpen',
        actions: ['kms:Decrypt'],
        resources: [vaultKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': VAULT_KEY_PURPOSES.transcript } },
      }),
    );
    fn.addEnvironment(ENV.encounterKeyId, vaultKey.keyArn);
    fn.addEnvironment(ENV.transcriptRetentionDays, String(transcriptRetentionDays));
  },
  // The encounter WebSocket API is created after the functions it routes to, so EncounterWebSocketApi hands its URL
  // to every function that declares this itself.
  'connections:url': () => undefined,
  'transcribe:stream': (fn) => {
    fn.addUnscopablePolicy('TranscribeStreamPolicy', {
      description: 'Transcribe Medical streaming for one function',
      statements: [
        new iam.PolicyStatement({
          sid: 'StreamMedicalTranscription',
          actions: ['transcribe:StartMedicalStreamTranscription'],
          resources: ['*'],
        }),
      ],
      reason:
        'StartMedicalStreamTranscription has no resource type (a stream is not an AWS resource), so IAM cannot ' +
        'scope it below "*"; the policy holds that one action, and the stream stores neither audio nor transcript.',
    });
    fn.addEnvironment(ENV.transcriber, 'transcribe-medical');
  },
};

/**
 * A value of another stack as an explicit import of the export CDK would create for it anyway, so the reference
 * resolves to the same `Fn::ImportValue` now as after synthesis (cdk-nag names it in finding ids).
 */
function referencedFrom(scope: Construct, owner: Construct, value: string): string {
  const consumer = Stack.of(scope);
  const producer = Stack.of(owner);
  if (producer === consumer) return value;
  consumer.addStackDependency(producer, 'imports a value the producer exports');
  return producer.exportValue(value);
}

export function grantCapability(fn: HardenedFunction, capability: Capability, targets: CapabilityTargets): void {
  CAPABILITY_GRANTS[capability](fn, targets);
}
