/** POST /v1/encounters/{encounterId}/end: ends the encounter and publishes `Encounter.Ended` (ids only). */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { EncounterPath } from '../../shared/transcription/encounter-requests.ts';
import { endEncounter } from '../../shared/transcription/end-encounter.ts';

export const handler = httpHandler({
  action: 'encounter.stream',
  auth: 'user',
  path: EncounterPath,
  run: async ({ path, caller, ports, audit }) => {
    const ended = await endEncounter(path.encounterId, caller, {
      store: ports.encounters,
      panels: ports.panels,
      events: ports.events,
      clock: ports.clock,
      audit,
    });
    return { status: 200, body: ended };
  },
});
