/** An S3 bucket for audit evidence: KMS-encrypted, versioned, private, TLS-only, access-logged and write-once. */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export type ObjectLockMode = 'GOVERNANCE' | 'COMPLIANCE';

export interface EvidenceBucketProps {
  readonly encryptionKey: kms.IKey;
  /** Receives the S3 server access logs of this bucket under `accessLogsPrefix`. */
  readonly accessLogs: s3.IBucket;
  readonly accessLogsPrefix: string;
  /** Default Object Lock retention of every new object version, in years. */
  readonly retentionYears: number;
  readonly lockMode: ObjectLockMode;
}

/**
 * Object Lock retention in days for a number of years: 366 days a year, so leap days never make the lock end
 * before the anniversary (S3 takes days or years, and CDK renders days).
 */
export function objectLockDays(years: number): number {
  return 366 * years;
}

/**
 * Every object version is locked for the retention period by default: in COMPLIANCE mode nobody, the root user
 * included, can shorten the lock or delete the version; in GOVERNANCE mode only a principal with
 * `s3:BypassGovernanceRetention` can. The bucket is always retained: CloudFormation could not empty it anyway.
 */
export class EvidenceBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps) {
    super(scope, id);
    const retention = Duration.days(objectLockDays(props.retentionYears));
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      // One data key per bucket for a while instead of a KMS call per object.
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: props.accessLogsPrefix,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.lockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(retention)
          : s3.ObjectLockRetention.governance(retention),
      // Evidence is rarely read after a quarter: Instant Retrieval still serves Athena and the verifier in
      // milliseconds; after a year Deep Archive needs a restore (hours). Nothing expires: deleting evidence after
      // the retention is a deliberate step, not a lifecycle rule.
      lifecycleRules: [
        {
          id: 'ArchiveEvidence',
          transitions: [
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) },
            { storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(365) },
          ],
          noncurrentVersionTransitions: [
            { storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(90) },
          ],
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
