/** Consumes `Audit.Recorded` and appends it, once per event, to its hash chain in the audit table. */
import { AuditRecorded } from '../../shared/audit/audit-entry.ts';
import { eventHandler, MalformedEvent } from '../../shared/events/event-handler.ts';
import { recordMetric } from '../../shared/observability/record-metric.ts';

/** EventBridge retries for up to 24 h; an entry dated further from its event is refused rather than mis-filed. */
const MAX_CLOCK_GAP_MS = 24 * 3_600_000;

export const handler = eventHandler({
  event: AuditRecorded,
  action: 'audit.write',
  run: async ({ detail, eventId, time, ports }) => {
    // A record dated years back would get an expiry already past, and TTL would delete it at once.
    if (Math.abs(Date.parse(detail.at) - Date.parse(time)) > MAX_CLOCK_GAP_MS) {
      throw new MalformedEvent(AuditRecorded.detailType);
    }
    const { pk, seq, appended } = await ports.auditStore.append(detail, eventId);
    if (appended) {
      recordMetric('AuditRecordsWritten', 1);
      recordMetric('AuditWriteLag', Math.max(0, ports.clock.now().getTime() - Date.parse(detail.at)));
    }
    return { pk, seq, appended };
  },
});
