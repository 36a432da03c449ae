/** The account's CloudTrail: every region, validated and encrypted log files, and data events on the PHI stores. */
import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/observability/telemetry.ts';
import { ManagedPolicyRole } from './managed-policy-role.ts';

/**
 * API calls that weaken the audit controls themselves: stopping or narrowing the trail, disabling a key, loosening a
 * bucket's lock or policy, or deleting archived objects (S3 data events are recorded for the archive only).
 */
export const AUDIT_CONTROL_EVENTS: Readonly<Record<string, readonly string[]>> = {
  'cloudtrail.amazonaws.com': ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'],
  'kms.amazonaws.com': ['DisableKey', 'ScheduleKeyDeletion'],
  's3.amazonaws.com': [
    'PutObjectLockConfiguration',
    'PutBucketPolicy',
    'DeleteBucketPolicy',
    'PutObjectRetention',
    'PutObjectLegalHold',
    'DeleteObject',
    'DeleteObjects',
  ],
};

export interface AuditTrailProps {
  /** Object-locked bucket for the log files; the trail adds the statements CloudTrail needs to its policy. */
  readonly bucket: s3.Bucket;
  /** Encrypts the log files; its policy must let CloudTrail generate data keys for this account's trails. */
  readonly encryptionKey: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Tables whose item-level reads and writes are recorded. */
  readonly dataEventTables: readonly dynamodb.ITable[];
  /** Buckets whose object-level reads and writes are recorded. */
  readonly dataEventBuckets: readonly s3.IBucket[];
}

export class AuditTrail extends Construct {
  readonly trail: cloudtrail.CfnTrail;
  readonly logGroup: logs.LogGroup;
  /** Counts audit-control changes (AUDIT_CONTROL_EVENTS) in the trail's log group; alarm on any. */
  readonly controlChanges: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    // Without a fixed trail name the trail's ARN is unknown when CloudTrail checks these policies at creation,
    // so the confused-deputy guard is the source account.
    const thisAccount = { 'aws:SourceAccount': stack.account };

    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailChecksBucketAcl',
        principals: [cloudTrail],
        actions: ['s3:GetBucketAcl'],
        resources: [props.bucket.bucketArn],
        conditions: { StringEquals: thisAccount },
      }),
    );
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailDeliversLogFiles',
        principals: [cloudTrail],
        actions: ['s3:PutObject'],
        resources: [props.bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
        conditions: { StringEquals: { ...thisAccount, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const logsRole = new ManagedPolicyRole(this, 'LogsRole', {
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com', { conditions: { StringEquals: thisAccount } }),
      description: 'Delivers CloudTrail events to their encrypted log group',
    });
    logsRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeliverTrailEvents',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.trail = new cloudtrail.CfnTrail(this, 'Trail', {
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      s3BucketName: props.bucket.bucketName,
      kmsKeyId: props.encryptionKey.keyArn,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: logsRole.roleArn,
      advancedEventSelectors: eventSelectors(props),
    });
    // CloudTrail checks the bucket policy and the delivery role when the trail is created.
    if (props.bucket.policy) this.trail.node.addDependency(props.bucket.policy);
    this.trail.node.addDependency(logsRole);
    if (logsRole.policy) this.trail.node.addDependency(logsRole.policy);

    const metricName = `AuditControlChanges-${stack.stackName}`;
    this.logGroup.addMetricFilter('AuditControlChanges', {
      filterPattern: logs.FilterPattern.literal(controlChangePattern(AUDIT_CONTROL_EVENTS)),
      metricNamespace: METRICS_NAMESPACE,
      metricName,
      metricValue: '1',
    });
    this.controlChanges = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      statistic: cloudwatch.Stats.SUM,
    });
  }

  get trailArn(): string {
    return this.trail.attrArn;
  }
}

/** All management events, plus item- and object-level events for exactly the given tables and buckets. */
function eventSelectors(props: AuditTrailProps): cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] {
  const selectors: cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] = [
    { name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] },
  ];
  if (props.dataEventTables.length > 0) {
    selectors.push({
      name: 'Items of the token vault and audit tables',
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
        { field: 'resources.ARN', equalTo: props.dataEventTables.map((table) => table.tableArn) },
      ],
    });
  }
  if (props.dataEventBuckets.length > 0) {
    selectors.push({
      name: 'Objects of the audit archive',
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        { field: 'resources.ARN', startsWith: props.dataEventBuckets.map((bucket) => `${bucket.bucketArn}/`) },
      ],
    });
  }
  return selectors;
}

/** A CloudWatch Logs JSON filter matching any of the listed event names of each event source. */
export function controlChangePattern(events: Readonly<Record<string, readonly string[]>>): string {
  const bySource = Object.entries(events).map(
    ([source, names]) =>
      `($.eventSource = "${source}" && (${names.map((name) => `$.eventName = "${name}"`).join(' || ')}))`,
  );
  return `{ ${bySource.join(' || ')} }`;
}
