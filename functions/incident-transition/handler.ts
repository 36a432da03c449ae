/** PATCH /v1/incidents/{incidentId}: moves an incident to investigating or closed (with a resolution). */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { IncidentTransitionInput } from '../../shared/policy/incident-report.ts';
import { transitionIncident } from '../../shared/policy/incident-workflow.ts';
import { RecordId } from '../../shared/policy/policy-fields.ts';

export const handler = httpHandler({
  action: 'incident.manage',
  auth: 'user',
  path: z.object({ incidentId: RecordId }).strict(),
  body: IncidentTransitionInput,
  run: async ({ path, body, caller, ports, audit }) => {
    await audit.allowed();
    const incident = await transitionIncident(path.incidentId, body, caller.userId, {
      store: ports.policy,
      clock: ports.clock,
    });
    return { status: 200, body: { id: incident.id, status: incident.status, history: incident.history } };
  },
});
