/** Every 15 minutes: sends the privacy officer's notice for incident reports whose own request could not send it. */
import { scheduledHandler } from '../../shared/events/scheduled-handler.ts';
import { sweepOwedIncidentNotices } from '../../shared/policy/incident-workflow.ts';

export const handler = scheduledHandler({
  action: 'incident.sweep',
  run: async ({ ports }) => sweepOwedIncidentNotices({ store: ports.policy, events: ports.events, clock: ports.clock }),
});
