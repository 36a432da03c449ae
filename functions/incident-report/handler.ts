/** POST /v1/incidents: anyone reports suspected PHI in an unapproved tool or an improper disclosure. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { createEvent } from '../../shared/events/event-definition.ts';
import { IncidentReported, IncidentReportInput } from '../../shared/policy/incident-report.ts';
import { reportIncident } from '../../shared/policy/incident-workflow.ts';

export const handler = httpHandler({
  action: 'incident.report',
  auth: 'user',
  body: IncidentReportInput,
  run: async ({ body, caller, ports, audit }) => {
    await audit.allowed();
    const incident = await reportIncident(body, caller.userId, {
      store: ports.policy,
      clock: ports.clock,
      ids: ports.ids,
    });
    // The event carries ids only: the description may hold PHI and stays in the encrypted table.
    await ports.events.publish([
      createEvent(IncidentReported, { incidentId: incident.id, kind: incident.kind, reportedAt: incident.reportedAt }),
    ]);
    return { status: 201, body: { id: incident.id, status: incident.status, reportedAt: incident.reportedAt } };
  },
});
