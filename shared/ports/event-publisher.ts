/** Port: puts domain events on the event bus (EventBridge in AWS, the in-process bus locally). */
import type { DomainEvent } from '../events/event-definition.ts';

export interface EventPublisher {
  readonly name: string;
  /** Resolves only when every event was accepted by the bus; otherwise rejects with `EventPublishFailed`. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}

export class EventPublishFailed extends Error {
  constructor(readonly failedCount: number) {
    super(`${failedCount} event(s) were not accepted by the event bus`);
    this.name = 'EventPublishFailed';
  }
}
