/** GET /v1/drafts?status=pending-review: the caller's review queue, without text, a page at a time. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { DraftQueueQuery } from '../../shared/drafts/draft-requests.ts';
import { decodeQueueToken, listDraftQueue } from '../../shared/drafts/read-draft.ts';
import { ValidationFailed } from '../../shared/errors/domain-errors.ts';

export const handler = httpHandler({
  action: 'draft.read',
  auth: 'user',
  query: DraftQueueQuery,
  run: async ({ query, caller, ports }) => {
    const after = query.nextToken !== undefined ? decodeQueueToken(query.nextToken) : undefined;
    if (query.nextToken !== undefined && after === undefined) {
      throw new ValidationFailed('INVALID_NEXT_TOKEN', 'The nextToken is not one this API issued');
    }
    const page = await listDraftQueue(
      { status: query.status, limit: query.limit, ...(after !== undefined ? { after } : {}) },
      caller,
      { drafts: ports.drafts, panels: ports.panels },
    );
    return { status: 200, body: page };
  },
});
