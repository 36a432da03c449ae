/**
 * Review reminders for the approved-model inventory: models whose periodic review is due or overdue, and models
 * that would send PHI to a vendor without a BAA. A schedule publishes one `PolicyReviewDue` event per finding.
 */
import { z } from 'zod';
import { defineEvent } from '../events/event-definition.ts';
import type { PolicyStore } from '../ports/policy-store.ts';
import { hasRequiredBaa, ModelSlug } from './approved-model.ts';
import { addDays, CalendarDay, dayOf } from './policy-fields.ts';

export const REVIEW_DUE_REASONS = ['review-due', 'review-overdue', 'baa-missing'] as const;
export const ReviewDueReason = z.enum(REVIEW_DUE_REASONS);
export type ReviewDueReason = z.infer<typeof ReviewDueReason>;

export const ReviewDue = z
  .object({
    /** The approved model's id in the inventory (its slug), not the vendor's model id. */
    modelId: ModelSlug,
    /** `nextReviewOn` for review reasons; the day of the check for `baa-missing` (due at once). */
    dueOn: CalendarDay,
    reason: ReviewDueReason,
  })
  .strict();
export type ReviewDue = z.infer<typeof ReviewDue>;

/** Published for each finding of `findReviewsDue`; its detail is exactly a `ReviewDue`. */
export const PolicyReviewDue = defineEvent({
  capability: 'policy',
  detailType: 'Policy.ReviewDue',
  version: 1,
  detail: ReviewDue,
});

export const DEFAULT_REVIEW_WINDOW_DAYS = 30;

/**
 * The findings for active models, sorted by due day then model id: a review due within `withinDays` of `now`'s
 * UTC day (`review-due`), one already past (`review-overdue`), and a BAA missing or not yet executed for a model
 * that is not offline (`baa-missing`, reported besides any review finding). Retired models are not reported.
 */
export async function findReviewsDue(
  request: { readonly now: Date; readonly withinDays?: number },
  ports: { readonly store: PolicyStore },
): Promise<ReviewDue[]> {
  const today = dayOf(request.now);
  const horizon = addDays(today, request.withinDays ?? DEFAULT_REVIEW_WINDOW_DAYS);
  const findings: ReviewDue[] = [];
  for (const model of await ports.store.listModels()) {
    if (model.status !== 'active') continue;
    if (!hasRequiredBaa(model, request.now)) findings.push({ modelId: model.id, dueOn: today, reason: 'baa-missing' });
    if (model.nextReviewOn < today) {
      findings.push({ modelId: model.id, dueOn: model.nextReviewOn, reason: 'review-overdue' });
    } else if (model.nextReviewOn <= horizon) {
      findings.push({ modelId: model.id, dueOn: model.nextReviewOn, reason: 'review-due' });
    }
  }
  return findings.sort(
    (a, b) => a.dueOn.localeCompare(b.dueOn) || a.modelId.localeCompare(b.modelId) || a.reason.localeCompare(b.reason),
  );
}
