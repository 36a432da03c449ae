/** GET /v1/consents?patientScope=: a patient's consents, active and revoked. */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { assertPanelAccess } from '../../shared/identity/minimum-necessary.ts';
import { PatientScope } from '../../shared/phi/phi-requests.ts';
import { listConsents } from '../../shared/policy/consent-registry.ts';

export const handler = httpHandler({
  action: 'consent.read',
  auth: 'user',
  query: z.object({ patientScope: PatientScope }).strict(),
  run: async ({ query, caller, ports, audit }) => {
    // Even an empty list is telling (a Part 2 consent reveals substance use records): the panel rule applies first.
    await assertPanelAccess(caller, 'consent.read', query.patientScope, ports.panels);
    await audit.allowed({ resource: { patientScope: query.patientScope } });
    return { status: 200, body: { consents: await listConsents(query.patientScope, { store: ports.policy }) } };
  },
});
