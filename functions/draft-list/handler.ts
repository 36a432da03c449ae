/** GET /v1/drafts?status=pending-review: the caller's review queue, without text. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { DraftQueueQuery } from '../../shared/drafts/draft-requests.ts';
import { listDraftQueue } from '../../shared/drafts/read-draft.ts';

export const handler = httpHandler({
  action: 'draft.read',
  auth: 'user',
  query: DraftQueueQuery,
  run: async ({ query, caller, ports }) => ({
    status: 200,
    body: { drafts: await listDraftQueue(query, caller, { drafts: ports.drafts, panels: ports.panels }) },
  }),
});
