/** Every 15 minutes: fails drafts stuck in `requested` or `generating` past the stall limit, with `Draft.Failed`. */
import { sweepStalledDrafts } from '../../shared/drafts/sweep-stalled-drafts.ts';
import { scheduledHandler } from '../../shared/events/scheduled-handler.ts';

export const handler = scheduledHandler({
  action: 'draft.sweep',
  run: async ({ ports }) =>
    sweepStalledDrafts({ drafts: ports.drafts, events: ports.events, audit: ports.audit, clock: ports.clock }),
});
