/** An encrypted dead-letter queue that raises an alarm as soon as anything lands in it. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { runbookReference } from '../../shared/operations/runbooks.ts';

export interface DeadLetterQueueProps {
  readonly encryptionKey: kms.IKey;
  readonly alarmTopic: sns.ITopic;
  /** What dead-letters here, for the alarm description, e.g. `Async invocations of function health`. */
  readonly source: string;
}

export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      // Reuse data keys for 5 minutes: far fewer KMS calls for a burst of failures, same key.
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      // The longest SQS allows: time to diagnose and redrive before a failed event is lost.
      retentionPeriod: Duration.days(14),
    });
    this.alarm = this.queue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM })
      .createAlarm(this, 'DepthAlarm', {
        alarmDescription: `${props.source} failed and reached the dead-letter queue. ${runbookReference('dead-letter-queue')}`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
  }
}
