/** Stateful: the write-once audit archive and the account's CloudTrail, each in an object-locked bucket. */
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.ts';
import { AccessLogBucket } from '../constructs/access-log-bucket.ts';
import { AuditTrail } from '../constructs/audit-trail.ts';
import type { KeyRing } from '../constructs/encryption-keys.ts';
import { EvidenceBucket } from '../constructs/evidence-bucket.ts';
import type { TableKey } from '../topology/types.ts';
import { statefulRemovalPolicy } from './stateful-removal-policy.ts';

/** Tables encrypted with these keys hold PHI (the token vault) or audit evidence; CloudTrail records their items. */
export const TRAIL_DATA_EVENT_TABLE_KEYS: readonly TableKey[] = ['vault', 'audit'];

export interface AuditStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly keys: Pick<KeyRing, 'audit' | 'logs'>;
  /** The token vault and audit tables: CloudTrail records every read and write of their items. */
  readonly dataEventTables: readonly dynamodb.ITable[];
}

export class AuditStack extends Stack {
  /** Daily audit exports (JSON Lines with chain anchors), locked for the audit retention. */
  readonly archive: s3.Bucket;
  readonly trail: AuditTrail;
  readonly trailBucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, props);
    const { config, keys } = props;
    const lock = {
      encryptionKey: keys.audit,
      retentionYears: config.auditRetentionYears,
      lockMode: config.trailObjectLockMode,
    };

    this.accessLogs = new AccessLogBucket(this, 'AccessLogs', { retentionYears: config.auditRetentionYears }).bucket;
    this.archive = new EvidenceBucket(this, 'Archive', {
      ...lock,
      accessLogs: this.accessLogs,
      accessLogsPrefix: 'archive/',
    }).bucket;
    this.trailBucket = new EvidenceBucket(this, 'TrailLogs', {
      ...lock,
      accessLogs: this.accessLogs,
      accessLogsPrefix: 'trail/',
    }).bucket;

    this.trail = new AuditTrail(this, 'Trail', {
      bucket: this.trailBucket,
      encryptionKey: keys.audit,
      logsKey: keys.logs,
      logRetention: config.logRetentionDays,
      removalPolicy: statefulRemovalPolicy(config),
      dataEventTables: props.dataEventTables,
      dataEventBuckets: [this.archive],
    });

    const notReplicated =
      'Not replicated to a second region: a replica needs a destination bucket and key in a region the practice ' +
      'has chosen and its BAA covers, which this single-region app does not create. Within the region S3 keeps ' +
      'every object across three or more AZs';
    const locked = `${notReplicated}, and Object Lock, versioning and RETAIN guard against deletion.`;
    const replicationReasons = new Map<s3.Bucket, string>([
      [this.archive, locked],
      [this.trailBucket, locked],
      [
        this.accessLogs,
        `${notReplicated}. S3 delivers no access logs to a bucket with a default Object Lock retention, so this ` +
          'one has none: RETAIN keeps it when the stack goes, and versioning keeps a deleted or overwritten log ' +
          'recoverable for 90 days.',
      ],
    ]);
    for (const [bucket, reason] of replicationReasons) {
      for (const ruleId of ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled']) {
        Validations.of(bucket.node.defaultChild as s3.CfnBucket).acknowledge({ id: ruleId, reason });
      }
    }

    new CfnOutput(this, 'AuditArchiveBucketName', { value: this.archive.bucketName });
    new CfnOutput(this, 'TrailArn', { value: this.trail.trailArn });
  }
}
