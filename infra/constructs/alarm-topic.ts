/** The encrypted SNS topic every alarm notifies, with the practice's on-call address subscribed. */

import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  readonly encryptionKey: kms.IKey;
  /** Optional in dev; the config requires it in prod. */
  readonly email: string | undefined;
  readonly displayName?: string;
  /**
   * Whether CloudWatch alarms of this account and region publish here. Functions publish with their own IAM grants,
   * but a service principal needs the topic policy to allow it.
   */
  readonly cloudWatchAlarms: boolean;
}

export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName ?? 'Clinical AI gateway alarms',
      // Alarm text names resources, never PHI, but the topic is encrypted like everything else at rest.
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default policy: without this statement
    // CloudWatch could not deliver a single alarm, and the refusal would show nowhere but in the alarm's history.
    if (props.cloudWatchAlarms) {
      const { partition, region, account } = Stack.of(this);
      this.topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'CloudWatchAlarmsOfThisAccount',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
          // Confused-deputy guard: only alarms of this account and region, never another account's.
          conditions: {
            StringEquals: { 'aws:SourceAccount': account },
            ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
          },
        }),
      );
    }
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
