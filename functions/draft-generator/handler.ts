/** Consumes `Draft.Requested`: generates the draft once per event and leaves it for human review. */
import { DraftRequested } from '../../shared/drafts/draft-events.ts';
import { generateDraft } from '../../shared/drafts/generate-draft.ts';
import { eventHandler } from '../../shared/events/event-handler.ts';

/** Left for closing the draft (store write, audit, event) once the deadline aborts the model call. */
const CLOSING_MARGIN_MS = 30_000;

export const handler = eventHandler({
  event: DraftRequested,
  action: 'draft.generate',
  run: async ({ detail, eventId, ports, remainingMs }) => {
    // A slow model fails the draft with MODEL_UNAVAILABLE rather than the function timing out with it `generating`.
    const signal = AbortSignal.timeout(Math.max(1_000, remainingMs() - CLOSING_MARGIN_MS));
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
      { signal },
    );
    return { draftId: detail.draftId, ...outcome };
  },
});
