/** POST /v1/deidentify: text or a batch in, tokenized text out, the token map kept in the encrypted vault. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { assertScopeWritable, deidentify } from '../../shared/phi/deidentify.ts';
import { DeidentifyRequest, MAX_PHI_BODY_BYTES } from '../../shared/phi/phi-requests.ts';

export const handler = httpHandler({
  action: 'phi.deidentify',
  auth: 'user',
  body: DeidentifyRequest,
  maxBodyBytes: MAX_PHI_BODY_BYTES,
  run: async ({ body, ports, audit, caller }) => {
    await assertScopeWritable(caller, body.patientScope, ports.panels);
    const single = body.text !== undefined;
    const result = await deidentify(
      {
        items: body.items ?? [{ text: body.text ?? '' }],
        ...(body.patientScope ? { patientScope: body.patientScope } : {}),
      },
      {
        detector: ports.phiDetector,
        vault: ports.tokenVault,
        ids: ports.ids,
        beforeVaultWrite: (resource) => audit.allowed({ resource, ...(body.purpose ? { purpose: body.purpose } : {}) }),
      },
    );
    const { items, ...summary } = result;
    return { status: 200, body: single ? { ...summary, text: items[0]?.text ?? '' } : result };
  },
});
