/**
 * Stateful: the application's event bus and the archive that lets operators replay it, and the two encrypted
 * notification topics (alarms, privacy-officer notices) every function stack and the API stack publish to.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.ts';
import { AlarmTopic } from '../constructs/alarm-topic.ts';

export interface EventsStackProps extends StackProps {
  readonly config: DeploymentConfig;
  /** Encrypts the notification topics. */
  readonly messagingKey: kms.IKey;
}

/**
 * Events carry ids and vault tokens, never PHI (shared/events schemas), so the bus and archive use EventBridge's
 * AWS-owned encryption; see docs/adr/0002-stack-layout.md.
 */
export class EventsStack extends Stack {
  readonly bus: events.EventBus;
  readonly alarmTopic: AlarmTopic;
  /** Incident notices for the privacy officer: ids and kinds only, never PHI. */
  readonly privacyTopic: AlarmTopic;

  constructor(scope: Construct, id: string, props: EventsStackProps) {
    super(scope, id, props);
    this.bus = new events.EventBus(this, 'Bus', {
      description: `${props.config.practiceName}: clinical AI gateway domain events`,
    });
    this.bus.archive('Archive', {
      description: 'Every event on the bus, for replay after a consumer fix',
      eventPattern: { account: [this.account] },
      retention: Duration.days(props.config.environment === 'prod' ? 365 : 30),
    });
    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      encryptionKey: props.messagingKey,
      email: props.config.alarmEmail,
      cloudWatchAlarms: true,
    });
    // Published to only by functions granted `alerts:notify`, through their IAM policies; no service publishes here.
    this.privacyTopic = new AlarmTopic(this, 'PrivacyNotices', {
      encryptionKey: props.messagingKey,
      email: props.config.privacyOfficerEmail ?? props.config.alarmEmail,
      displayName: 'Clinical AI gateway privacy notices',
      cloudWatchAlarms: false,
    });
  }
}
