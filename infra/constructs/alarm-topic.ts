/** The encrypted SNS topic every alarm notifies, with the practice's on-call address subscribed. */

import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  readonly encryptionKey: kms.IKey;
  /** Optional in dev; the config requires it in prod. */
  readonly email: string | undefined;
  readonly displayName?: string;
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
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
