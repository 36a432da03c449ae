/**
 * The draft job's events. Payloads carry ids and codes only: never text, never a reason a reviewer typed. Only
 * `Draft.Approved` is meant for systems outside this one (an EHR integration fetches the approved text through the
 * API as an authorised caller); nothing here is ever sent to a patient.
 *
 * Delivery is at-least-once: each event is published after the state it announces is stored, and a retried call
 * whose first publish failed publishes it again (see publish-draft-event.ts). Consumers deduplicate on
 * (draftId, version), or (draftId, reason) for `Draft.Failed`.
 */
import { z } from 'zod';
import { defineEvent } from '../events/event-definition.ts';
import { DraftId, DraftUseCaseName } from './draft.ts';

const Code = z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/);
const UserId = z.string().regex(/^[A-Za-z0-9._@:+-]{1,128}$/);

/** Internal: starts the generator. */
export const DraftRequested = defineEvent({
  capability: 'drafts',
  detailType: 'Draft.Requested',
  version: 1,
  detail: z.object({ draftId: DraftId, useCase: DraftUseCaseName }).strict(),
});

/** Internal: the draft waits for a reviewer (a UI may refresh its queue). */
export const DraftReady = defineEvent({
  capability: 'drafts',
  detailType: 'Draft.Ready',
  version: 1,
  detail: z.object({ draftId: DraftId, useCase: DraftUseCaseName, version: z.int().positive() }).strict(),
});

/** Internal: generation failed or the output was quarantined; `reason` is a stable code. */
export const DraftFailed = defineEvent({
  capability: 'drafts',
  detailType: 'Draft.Failed',
  version: 1,
  detail: z.object({ draftId: DraftId, useCase: DraftUseCaseName, reason: Code }).strict(),
});

/**
 * For downstream systems: a named reviewer approved the draft. May arrive more than once (at-least-once). Write-back to the EHR stays a human step there; the
 * event carries no text, so a consumer must read the draft through the API with its own authorisation.
 */
export const DraftApproved = defineEvent({
  capability: 'drafts',
  detailType: 'Draft.Approved',
  version: 1,
  detail: z
    .object({ draftId: DraftId, useCase: DraftUseCaseName, version: z.int().positive(), approvedBy: UserId })
    .strict(),
});

/** Internal: the reviewer rejected the draft (the reason stays in the draft, tokenized). */
export const DraftRejected = defineEvent({
  capability: 'drafts',
  detailType: 'Draft.Rejected',
  version: 1,
  detail: z
    .object({ draftId: DraftId, useCase: DraftUseCaseName, version: z.int().positive(), rejectedBy: UserId })
    .strict(),
});
