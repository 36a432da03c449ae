/** POST /v1/attestations: the caller attests to the current AI-use policy version (kept at least six years). */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { attest } from '../../shared/policy/policy-attestation.ts';
import { AttestationInput } from '../../shared/policy/policy-version.ts';

export const handler = httpHandler({
  action: 'attestation.create',
  auth: 'user',
  body: AttestationInput,
  run: async ({ body, caller, ports, audit }) => {
    await audit.allowed();
    const attestation = await attest(caller.userId, body.policyVersion, { store: ports.policy, clock: ports.clock });
    return { status: 201, body: attestation };
  },
});
