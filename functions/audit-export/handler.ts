/**
 * Daily at 00:15 UTC: exports the previous two UTC days' audit records, with chain anchors, to the write-once
 * archive. The second day again because EventBridge may deliver audit events up to 24 h late; both copies stay.
 */
import { exportAuditDay } from '../../shared/audit/export-audit-day.ts';
import { scheduledHandler } from '../../shared/events/scheduled-handler.ts';

const DAY_MS = 86_400_000;

export const handler = scheduledHandler({
  action: 'audit.export',
  run: async ({ time, ports }) => {
    const exports = [];
    for (const daysBack of [1, 2]) {
      const day = new Date(time.getTime() - daysBack * DAY_MS).toISOString().slice(0, 10);
      const exported = await exportAuditDay(day, { store: ports.auditStore });
      const { location } = await ports.auditArchive.put(day, exported.text);
      exports.push({ day, records: exported.records, chains: exported.anchors.length, location });
    }
    return { exports };
  },
});
