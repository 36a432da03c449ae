/** The customer-managed KMS keys, one per kind of data, each rotating yearly and usable only by what needs it. */
import { Aws, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TableKey } from '../topology/types.ts';

export interface EncryptionKeysProps {
  readonly practiceName: string;
  readonly removalPolicy: RemovalPolicy;
}

/** What the rest of the system needs from the keys: one key per purpose and the key behind each table. */
export interface KeyRing {
  readonly app: kms.IKey;
  readonly vault: kms.IKey;
  readonly audit: kms.IKey;
  readonly logs: kms.IKey;
  readonly messaging: kms.IKey;
  readonly tokenMac: kms.IKey;
  tableKey(key: TableKey): kms.IKey;
}

export class EncryptionKeys extends Construct implements KeyRing {
  /** Application tables and Lambda environment variables. */
  readonly app: kms.Key;
  /** The PHI token vault: separate so that re-identification can be revoked by disabling one key. */
  readonly vault: kms.Key;
  /**
   * The audit trail, its S3 archive and the CloudTrail log files: separate so that their readers (privacy officer,
   * auditors) never need the data keys.
   */
  readonly audit: kms.Key;
  /** CloudWatch Logs groups (function, API access, flow and WAF logs). */
  readonly logs: kms.Key;
  /**
   * Dead-letter queues and the alarm topic. AWS services (EventBridge, CloudWatch) must be allowed to use this key,
   * so it is kept apart from every key that protects PHI.
   */
  readonly messaging: kms.Key;
  /**
   * HMAC_256 key that derives deterministic vault tokens inside KMS. KMS cannot rotate HMAC keys automatically, and
   * a new key would change every token of every patient scope; a compromise is handled by re-tokenizing.
   */
  readonly tokenMac: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptionKeysProps) {
    super(scope, id);
    const key = (name: string, purpose: string) =>
      new kms.Key(this, name, {
        description: `${props.practiceName}: ${purpose}`,
        enableKeyRotation: true,
        rotationPeriod: Duration.days(365),
        // The longest window: a key deleted by mistake can be recovered for 30 days, with its data.
        pendingWindow: Duration.days(30),
        removalPolicy: props.removalPolicy,
      });
    this.app = key('AppKey', 'application data and function configuration');
    this.vault = key('VaultKey', 'PHI token vault');
    this.audit = key('AuditKey', 'audit trail');
    this.logs = key('LogsKey', 'CloudWatch Logs');
    this.messaging = key('MessagingKey', 'dead-letter queues and alarm notifications');
    this.tokenMac = new kms.Key(this, 'TokenMacKey', {
      description: `${props.practiceName}: PHI vault token MAC (HMAC, not rotatable)`,
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      pendingWindow: Duration.days(30),
      removalPolicy: props.removalPolicy,
    });

    // CloudWatch Logs encrypts with the key on behalf of log groups in this account and region only.
    this.logs.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsForThisAccountsLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
    // CloudTrail encrypts the trail's log files with the audit key, for trails of this account only. The trail's
    // ARN is not known here (it lives in a later stack), so the encryption context names any of the account's trails.
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    const thisAccount = { 'aws:SourceAccount': Aws.ACCOUNT_ID };
    this.audit.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailEncryptsThisAccountsTrailLogs',
        principals: [cloudTrail],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: thisAccount,
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${Aws.ACCOUNT_ID}:trail/*`,
          },
        },
      }),
    );
    this.audit.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailDescribesTheAuditKey',
        principals: [cloudTrail],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: thisAccount },
      }),
    );
    // EventBridge writes undeliverable events to encrypted dead-letter queues; CloudWatch publishes alarms to the
    // encrypted topic. Both act on behalf of this account only (confused-deputy guard).
    for (const service of ['events.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      this.messaging.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `${service.split('.')[0]}DeliversToEncryptedQueuesAndTopics`,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      );
    }
  }

  tableKey(key: TableKey): kms.IKey {
    return this[key];
  }
}
