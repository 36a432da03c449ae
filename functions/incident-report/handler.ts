/** POST /v1/incidents: anyone reports suspected PHI in an unapproved tool or an improper disclosure. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { IncidentReportInput } from '../../shared/policy/incident-report.ts';
import { fileIncidentReport } from '../../shared/policy/incident-workflow.ts';

export const handler = httpHandler({
  action: 'incident.report',
  auth: 'user',
  body: IncidentReportInput,
  run: async ({ body, caller, ports, audit }) => {
    await audit.allowed();
    // Stored first, then announced (ids only: the description may hold PHI and stays in the encrypted table); a
    // failed announcement is 503 INCIDENT_NOTIFICATION_PENDING and a retry with the same idempotency key finishes it.
    const { incident, replayed } = await fileIncidentReport(body, caller.userId, {
      store: ports.policy,
      clock: ports.clock,
      ids: ports.ids,
      events: ports.events,
    });
    return {
      status: replayed ? 200 : 201,
      body: { id: incident.id, status: incident.status, reportedAt: incident.reportedAt },
    };
  },
});
