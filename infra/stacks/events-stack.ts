/** Stateful: the application's event bus and the archive that lets operators replay it. */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.ts';

export interface EventsStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

/**
 * Events carry ids and vault tokens, never PHI (shared/events schemas), so the bus and archive use EventBridge's
 * AWS-owned encryption; see docs/adr/0002-stack-layout.md.
 */
export class EventsStack extends Stack {
  readonly bus: events.EventBus;

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
  }
}
