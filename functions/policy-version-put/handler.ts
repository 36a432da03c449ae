/** PUT /v1/policy/version: publishes a new AI-use policy version; everyone must attest again. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { setPolicyVersion } from '../../shared/policy/policy-attestation.ts';
import { PolicyVersionInput } from '../../shared/policy/policy-version.ts';

export const handler = httpHandler({
  action: 'policy.manage',
  auth: 'user',
  body: PolicyVersionInput,
  run: async ({ body, caller, ports, audit }) => {
    await audit.allowed();
    return {
      status: 200,
      body: await setPolicyVersion(body, caller.userId, { store: ports.policy, clock: ports.clock }),
    };
  },
});
