/** POST /v1/consents: records a patient's consent for psychotherapy notes or Part 2 records, per use case. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { assertPanelAccess } from '../../shared/identity/minimum-necessary.ts';
import { ConsentInput } from '../../shared/policy/consent.ts';
import { grantConsent } from '../../shared/policy/consent-registry.ts';

export const handler = httpHandler({
  action: 'consent.manage',
  auth: 'user',
  body: ConsentInput,
  run: async ({ body, caller, ports, audit }) => {
    // A consent on file releases psychotherapy or Part 2 records to the whole care team: only a physician who treats
    // the patient may record one.
    await assertPanelAccess(caller, 'consent.manage', body.patientScope, ports.panels);
    await audit.allowed({ resource: { patientScope: body.patientScope } });
    const consent = await grantConsent(body, caller.userId, {
      store: ports.policy,
      clock: ports.clock,
      ids: ports.ids,
    });
    return { status: 201, body: consent };
  },
});
