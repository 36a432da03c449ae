/** AuditSink that publishes `Audit.Recorded` on the event bus, where the audit writer picks it up. */
import { createEvent } from '../events/event-definition.ts';
import { recordMetric } from '../observability/record-metric.ts';
import type { AuditSink } from '../ports/audit-sink.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import { type AuditEntry, AuditRecorded } from './audit-entry.ts';

export class EventAuditSink implements AuditSink {
  readonly name = 'EventAuditSink';

  constructor(private readonly events: EventPublisher) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.events.publish([createEvent(AuditRecorded, entry)]);
    // Compared on the dashboard with AuditRecordsWritten: a growing gap is audit lag.
    recordMetric('AuditEventsPublished', 1);
  }
}
