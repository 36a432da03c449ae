import { describe, expect, it } from 'vitest';
import {
  canTransition,
  DRAFT_STATUSES,
  DRAFT_TRANSITIONS,
  type DraftStatus,
  isFinal,
  transition,
} from '../../../shared/drafts/draft-status.ts';

/** The lifecycle the issue describes, written out independently of the table under test. */
const EXPECTED: ReadonlyArray<readonly [DraftStatus, DraftStatus]> = [
  ['requested', 'generating'],
  ['requested', 'failed'],
  ['generating', 'pending-review'],
  ['generating', 'failed'],
  ['generating', 'quarantined'],
  ['pending-review', 'approved'],
  ['pending-review', 'rejected'],
];

describe('draft status', () => {
  const pairs = DRAFT_STATUSES.flatMap((from) => DRAFT_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('from %s to %s is allowed exactly when the lifecycle says so', (from, to) => {
    const allowed = EXPECTED.some(([a, b]) => a === from && b === to);
    expect(canTransition(from, to)).toBe(allowed);
    if (allowed) {
      expect(transition(from, to)).toBe(to);
    } else {
      expect(() => transition(from, to)).toThrow(
        expect.objectContaining({ code: 'INVALID_DRAFT_TRANSITION', status: 409 }),
      );
    }
  });

  it('makes approved, rejected, failed and quarantined final, and only those', () => {
    expect(DRAFT_STATUSES.filter(isFinal)).toEqual(['approved', 'rejected', 'failed', 'quarantined']);
  });

  it('reaches every state from requested', () => {
    const seen = new Set<DraftStatus>(['requested']);
    const queue: DraftStatus[] = ['requested'];
    while (queue.length > 0) {
      const from = queue.shift() as DraftStatus;
      for (const to of DRAFT_TRANSITIONS[from]) {
        if (!seen.has(to)) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    expect([...seen].sort()).toEqual([...DRAFT_STATUSES].sort());
  });
});
