/** Daily: emits `Policy.ReviewDue` for approved models whose review is within 30 days or past, or lacks a BAA. */
import { createEvent } from '../../shared/events/event-definition.ts';
import { scheduledHandler } from '../../shared/events/scheduled-handler.ts';
import { findReviewsDue, PolicyReviewDue } from '../../shared/policy/review-reminders.ts';

export const handler = scheduledHandler({
  action: 'policy.review-reminders',
  run: async ({ time, ports }) => {
    const due = await findReviewsDue({ now: time }, { store: ports.policy });
    if (due.length > 0) await ports.events.publish(due.map((review) => createEvent(PolicyReviewDue, review)));
    return { reviewsDue: due.length };
  },
});
