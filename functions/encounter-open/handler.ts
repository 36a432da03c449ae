/** POST /v1/encounters: opens an encounter for a patient scope and returns the socket to stream its audio to. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { OpenEncounterRequest } from '../../shared/transcription/encounter-requests.ts';
import { openEncounter } from '../../shared/transcription/open-encounter.ts';

export const handler = httpHandler({
  action: 'encounter.stream',
  auth: 'user',
  body: OpenEncounterRequest,
  maxBodyBytes: 4096,
  run: async ({ body, caller, ports, audit }) => {
    const opened = await openEncounter(body, caller, {
      store: ports.encounters,
      keys: ports.encounterKeys,
      panels: ports.panels,
      ids: ports.ids,
      clock: ports.clock,
      audit,
      socketUrl: ports.connections.socketUrl,
    });
    return { status: 201, body: opened };
  },
});
