/** Consumes `Incident.Reported` and tells the privacy officer (SNS e-mail in AWS, the console locally). */
import { eventHandler } from '../../shared/events/event-handler.ts';
import { IncidentReported } from '../../shared/policy/incident-report.ts';

export const handler = eventHandler({
  event: IncidentReported,
  action: 'incident.notify',
  run: async ({ detail, ports }) => {
    await ports.notifier.notify(
      `AI policy incident reported: ${detail.kind}`,
      `Incident ${detail.incidentId} (${detail.kind}) was reported at ${detail.reportedAt}.\n` +
        'Review it with GET /v1/incidents as the privacy officer. The description is in the encrypted policy table.',
    );
    return { incidentId: detail.incidentId };
  },
});
