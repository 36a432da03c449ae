/** GET /v1/encounters/{encounterId}: the encounter's status and its final transcript segments, for the care team. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { EncounterPath } from '../../shared/transcription/encounter-requests.ts';
import { readEncounter } from '../../shared/transcription/read-encounter.ts';

export const handler = httpHandler({
  action: 'encounter.read',
  auth: 'user',
  path: EncounterPath,
  run: async ({ path, caller, ports, audit }) => {
    const encounter = await readEncounter(path.encounterId, caller, {
      store: ports.encounters,
      keys: ports.encounterKeys,
      panels: ports.panels,
      clock: ports.clock,
      audit,
    });
    return { status: 200, body: encounter };
  },
});
