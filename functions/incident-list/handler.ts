/** GET /v1/incidents?status=: the privacy officer's incident queue. */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { IncidentStatus } from '../../shared/policy/incident-report.ts';
import { listIncidents } from '../../shared/policy/incident-workflow.ts';

export const handler = httpHandler({
  action: 'incident.manage',
  auth: 'user',
  query: z.object({ status: IncidentStatus.default('open') }).strict(),
  run: async ({ query, ports }) => ({
    status: 200,
    body: { incidents: await listIncidents(query.status, { store: ports.policy }) },
  }),
});
