/** EventPublisher on Amazon EventBridge: PutEvents in batches of ten, failing when any entry is rejected. */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from '../../events/event-definition.ts';
import { tracer } from '../../observability/telemetry.ts';
import { type EventPublisher, EventPublishFailed } from '../../ports/event-publisher.ts';

// PutEvents takes at most 10 entries per call.
const BATCH_SIZE = 10;

export class EventBridgePublisher implements EventPublisher {
  readonly name = 'EventBridgePublisher';

  constructor(
    private readonly busName: string,
    private readonly client: EventBridgeClient,
  ) {}

  static create(busName: string, region: string): EventBridgePublisher {
    return new EventBridgePublisher(busName, tracer.captureAWSv3Client(new EventBridgeClient({ region })));
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    let failed = 0;
    for (let start = 0; start < events.length; start += BATCH_SIZE) {
      const entries: PutEventsRequestEntry[] = events.slice(start, start + BATCH_SIZE).map((event) => ({
        EventBusName: this.busName,
        Source: event.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      }));
      const output = await this.client.send(new PutEventsCommand({ Entries: entries }));
      failed += output.FailedEntryCount ?? 0;
    }
    if (failed > 0) throw new EventPublishFailed(failed);
  }
}
