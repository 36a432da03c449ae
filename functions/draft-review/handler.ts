/** POST /v1/drafts/{draftId}/review: approve (optionally edited) or reject, by a reviewer of the use case. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { DraftPath, DraftReviewRequest } from '../../shared/drafts/draft-requests.ts';
import { reviewDraft } from '../../shared/drafts/review-draft.ts';
import { MAX_PHI_BODY_BYTES } from '../../shared/phi/phi-requests.ts';

export const handler = httpHandler({
  action: 'draft.review',
  auth: 'user',
  path: DraftPath,
  body: DraftReviewRequest,
  maxBodyBytes: MAX_PHI_BODY_BYTES,
  run: async ({ path, body, caller, ports, audit }) => ({
    status: 200,
    body: await reviewDraft(path.draftId, body, caller, {
      drafts: ports.drafts,
      panels: ports.panels,
      detector: ports.phiDetector,
      vault: ports.tokenVault,
      ids: ports.ids,
      clock: ports.clock,
      events: ports.events,
      audit,
    }),
  }),
});
