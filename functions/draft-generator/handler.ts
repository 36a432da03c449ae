/** Consumes `Draft.Requested`: generates the draft once per event and leaves it for human review. */
import { DraftRequested } from '../../shared/drafts/draft-events.ts';
import { generateDraft } from '../../shared/drafts/generate-draft.ts';
import { eventHandler } from '../../shared/events/event-handler.ts';

export const handler = eventHandler({
  event: DraftRequested,
  action: 'draft.generate',
  run: async ({ detail, eventId, ports }) => {
    const outcome = await generateDraft(
      { draftId: detail.draftId, eventId },
      {
        drafts: ports.drafts,
        events: ports.events,
        audit: ports.audit,
        gateway: {
          detector: ports.phiDetector,
          policy: ports.policy,
          modelClients: ports.modelClients,
          clock: ports.clock,
        },
        codeInference: ports.codeInference,
      },
    );
    return { draftId: detail.draftId, ...outcome };
  },
});
