/** POST /v1/consents/{patientScope}/{consentId}/revoke: the patient withdraws a consent; kept for the record. */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { assertPanelAccess } from '../../shared/identity/minimum-necessary.ts';
import { PatientScope } from '../../shared/phi/phi-requests.ts';
import { ConsentRevocationInput } from '../../shared/policy/consent.ts';
import { revokeConsent } from '../../shared/policy/consent-registry.ts';
import { RecordId } from '../../shared/policy/policy-fields.ts';

export const handler = httpHandler({
  action: 'consent.manage',
  auth: 'user',
  path: z.object({ patientScope: PatientScope, consentId: RecordId }).strict(),
  body: ConsentRevocationInput,
  run: async ({ path, body, caller, ports, audit }) => {
    await assertPanelAccess(caller, 'consent.manage', path.patientScope, ports.panels);
    await audit.allowed({ resource: { patientScope: path.patientScope } });
    const consent = await revokeConsent(path.patientScope, path.consentId, body, caller.userId, {
      store: ports.policy,
      clock: ports.clock,
    });
    return { status: 200, body: consent };
  },
});
