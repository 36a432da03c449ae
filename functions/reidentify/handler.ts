/** POST /v1/reidentify: puts PHI back in place of vault tokens, for clinical roles and the privacy officer only. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { assertPanelAccess } from '../../shared/identity/minimum-necessary.ts';
import { MAX_PHI_BODY_BYTES, ReidentifyRequest } from '../../shared/phi/phi-requests.ts';
import { reidentify } from '../../shared/phi/reidentify.ts';

export const handler = httpHandler({
  action: 'phi.reidentify',
  auth: 'user',
  body: ReidentifyRequest,
  maxBodyBytes: MAX_PHI_BODY_BYTES,
  run: async ({ body, ports, audit, caller }) => {
    await assertPanelAccess(caller, 'phi.reidentify', body.patientScope, ports.panels);
    const result = await reidentify(body.text, body.patientScope, {
      vault: ports.tokenVault,
      beforeRelease: ({ tokenCount }) =>
        audit.allowed({ resource: { patientScope: body.patientScope, tokenCount }, purpose: body.purpose }),
    });
    return { status: 200, body: { patientScope: body.patientScope, ...result } };
  },
});
