/** Consumes `Encounter.Ended`: requests the encounter's SOAP note draft for the clinician, once per event. */

import { aiGatewayPortsOf } from '../../shared/ai/gateway-ports.ts';
import { requestSoapForEncounter } from '../../shared/drafts/request-soap-for-encounter.ts';
import { eventHandler } from '../../shared/events/event-handler.ts';
import { EncounterEnded } from '../../shared/transcription/encounter-requests.ts';

export const handler = eventHandler({
  event: EncounterEnded,
  action: 'draft.request',
  run: async ({ detail, eventId, ports }) => {
    const result = await requestSoapForEncounter(detail, eventId, {
      drafts: ports.drafts,
      events: ports.events,
      knowledge: () => ports.knowledgeIndex.current(),
      mac: ports.tokenMac,
      encounters: ports.encounters,
      encounterKeys: ports.encounterKeys,
      auditSink: ports.audit,
      gateway: aiGatewayPortsOf(ports),
    });
    return { encounterId: detail.encounterId, ...result };
  },
});
