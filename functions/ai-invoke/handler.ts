/** POST /v1/ai/invocations: one policy-checked, de-identified model call, re-identified for the caller. */
import { invokeAi } from '../../shared/ai/ai-gateway.ts';
import { AiInvocationRequest } from '../../shared/ai/ai-requests.ts';
import { aiGatewayPortsOf } from '../../shared/ai/gateway-ports.ts';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { MAX_PHI_BODY_BYTES } from '../../shared/phi/phi-requests.ts';

export const handler = httpHandler({
  action: 'ai.invoke',
  auth: 'user',
  body: AiInvocationRequest,
  maxBodyBytes: MAX_PHI_BODY_BYTES,
  run: async ({ body, caller, ports, audit }) => {
    const result = await invokeAi(
      {
        useCase: body.useCase,
        caller,
        purpose: body.purpose,
        sources: body.sources,
        ...(body.patientScope ? { patientScope: body.patientScope } : {}),
        ...(body.instructions ? { instructions: body.instructions } : {}),
      },
      aiGatewayPortsOf(ports, audit),
    );
    // Every AI output is a draft for a named clinician to review; nothing goes to a patient from here.
    return { status: 200, body: { ...result, status: 'draft-for-review' } };
  },
});
