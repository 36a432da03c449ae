/**
 * The event a stored draft state owes the bus, published after the state is written and then marked as sent on the
 * draft (a small outbox): a call that stored the state but failed to publish leaves the mark unset, and the retry of
 * that call (a redelivered event, a repeated review) publishes it again. Delivery is therefore at-least-once.
 */
import { createEvent, type DomainEvent } from '../events/event-definition.ts';
import { log } from '../observability/telemetry.ts';
import { type DraftStore, StaleDraftVersion } from '../ports/draft-store.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { DraftRecord } from './draft.ts';
import { DraftApproved, DraftFailed, DraftReady, DraftRejected } from './draft-events.ts';

/** The event the draft's current state announces; undefined for the states that announce nothing here. */
export function eventOf(draft: DraftRecord): DomainEvent | undefined {
  const identity = { draftId: draft.draftId, useCase: draft.useCase };
  switch (draft.status) {
    case 'pending-review':
      return createEvent(DraftReady, { ...identity, version: draft.version });
    case 'failed':
    case 'quarantined':
      return createEvent(DraftFailed, { ...identity, reason: draft.failure?.reason ?? 'UNKNOWN' });
    case 'approved':
      return createEvent(DraftApproved, {
        ...identity,
        version: draft.version,
        approvedBy: draft.review?.reviewerId ?? 'unknown',
      });
    case 'rejected':
      return createEvent(DraftRejected, {
        ...identity,
        version: draft.version,
        rejectedBy: draft.review?.reviewerId ?? 'unknown',
      });
    default:
      return undefined;
  }
}

/** Whether the draft's current state was written but its event not yet confirmed as published. */
export function owesEvent(draft: DraftRecord): boolean {
  return eventOf(draft) !== undefined && draft.publishedVersion !== draft.version;
}

/**
 * Publishes the draft's event and marks it sent at the same version. A failed publish propagates (the caller's
 * retry publishes again); a failed mark only means a later retry may publish a duplicate, so it is logged, not thrown.
 */
export async function publishDraftEvent(
  draft: DraftRecord,
  ports: { readonly drafts: DraftStore; readonly events: EventPublisher },
): Promise<void> {
  const event = eventOf(draft);
  if (!event) return;
  await ports.events.publish([event]);
  try {
    await ports.drafts.replace({ ...draft, publishedVersion: draft.version }, draft.version);
  } catch (error) {
    // Someone moved the draft on meanwhile (their write carries their own mark): nothing is lost.
    if (!(error instanceof StaleDraftVersion)) {
      log.warn('draft event published but not marked', { draftId: draft.draftId, errorName: (error as Error).name });
    }
  }
}
