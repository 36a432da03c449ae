/** Notifier on Amazon SNS: publishes to the KMS-encrypted privacy topic that the privacy officer subscribes to. */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notifier } from '../../ports/notifier.ts';

export class SnsNotifier implements Notifier {
  readonly name = 'SnsNotifier';

  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(subject: string, message: string): Promise<void> {
    // SNS limits e-mail subjects to 100 characters.
    await this.client.send(
      new PublishCommand({ TopicArn: this.topicArn, Subject: subject.slice(0, 100), Message: message }),
    );
  }
}
