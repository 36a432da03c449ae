/** GET /v1/drafts/{draftId}: status and evidence; the text re-identified for an authorised reader (audited). */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { DraftPath } from '../../shared/drafts/draft-requests.ts';
import { readDraft } from '../../shared/drafts/read-draft.ts';

export const handler = httpHandler({
  action: 'draft.read',
  auth: 'user',
  path: DraftPath,
  run: async ({ path, caller, ports, audit }) => ({
    status: 200,
    body: await readDraft(path.draftId, caller, {
      drafts: ports.drafts,
      panels: ports.panels,
      vault: ports.tokenVault,
      audit,
    }),
  }),
});
