/** POST /v1/drafts: accepts a draft job (202); the model is called later by the generator, never on this connection. */

import { aiGatewayPortsOf } from '../../shared/ai/gateway-ports.ts';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { DraftRequest, MAX_DRAFT_BODY_BYTES } from '../../shared/drafts/draft-requests.ts';
import { requestDraft } from '../../shared/drafts/request-draft.ts';

export const handler = httpHandler({
  action: 'draft.request',
  auth: 'user',
  body: DraftRequest,
  maxBodyBytes: MAX_DRAFT_BODY_BYTES,
  run: async ({ body, caller, ports, audit, correlationId }) => {
    const accepted = await requestDraft(
      body,
      { caller, correlationId },
      {
        drafts: ports.drafts,
        events: ports.events,
        knowledge: () => ports.knowledgeIndex.current(),
        mac: ports.tokenMac,
        gateway: aiGatewayPortsOf(ports, audit),
      },
    );
    return { status: accepted.replayed ? 200 : 202, body: accepted };
  },
});
