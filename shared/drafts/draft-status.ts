/** The draft lifecycle as data: the states a draft can be in and the only moves between them. */
import { z } from 'zod';
import { Conflict } from '../errors/domain-errors.ts';

export const DRAFT_STATUSES = [
  'requested',
  'generating',
  'pending-review',
  'approved',
  'rejected',
  'failed',
  'quarantined',
] as const;
export const DraftStatus = z.enum(DRAFT_STATUSES);
export type DraftStatus = z.infer<typeof DraftStatus>;

/**
 * Every allowed move. Approved, rejected, failed and quarantined are final: a failed or quarantined draft is
 * requested again rather than revived, so each stored draft tells one story.
 */
export const DRAFT_TRANSITIONS = {
  requested: ['generating', 'failed'],
  generating: ['pending-review', 'failed', 'quarantined'],
  'pending-review': ['approved', 'rejected'],
  approved: [],
  rejected: [],
  failed: [],
  quarantined: [],
} as const satisfies Record<DraftStatus, readonly DraftStatus[]>;

export function canTransition(from: DraftStatus, to: DraftStatus): boolean {
  return (DRAFT_TRANSITIONS[from] as readonly DraftStatus[]).includes(to);
}

/** Returns `to` when the move is allowed; otherwise 409 INVALID_DRAFT_TRANSITION (the states are not secret). */
export function transition(from: DraftStatus, to: DraftStatus): DraftStatus {
  if (!canTransition(from, to)) {
    throw new Conflict('INVALID_DRAFT_TRANSITION', 'The draft cannot move to that state from its current one', {
      from,
      to,
    });
  }
  return to;
}

export function isFinal(status: DraftStatus): boolean {
  return DRAFT_TRANSITIONS[status].length === 0;
}
