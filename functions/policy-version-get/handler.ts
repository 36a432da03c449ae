/** GET /v1/policy/version: the AI-use policy version staff must attest to. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { getCurrentPolicyVersion, hasCurrentAttestation } from '../../shared/policy/policy-attestation.ts';

export const handler = httpHandler({
  action: 'policy.read',
  auth: 'user',
  run: async ({ caller, ports }) => ({
    status: 200,
    body: {
      ...(await getCurrentPolicyVersion({ store: ports.policy })),
      attestedByYou: await hasCurrentAttestation(caller.userId, { store: ports.policy }),
    },
  }),
});
