/** Admits a WebSocket connection to stream one open encounter, for the clinician who opened it only. */
import type { RequestAudit } from '../audit/request-audit.ts';
import { Conflict } from '../errors/domain-errors.ts';
import type { Caller } from '../identity/caller.ts';
import type { Clock } from '../ports/clock.ts';
import type { EncounterStore } from '../ports/encounter-store.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import { assertEncounterOwner, loadEncounter } from './encounter-access.ts';
import { CONNECTION_TTL_SECONDS } from './encounter-requests.ts';

export interface ConnectEncounterPorts {
  readonly store: EncounterStore;
  readonly panels: PanelDirectory;
  readonly clock: Clock;
  readonly audit: RequestAudit;
}

export async function connectEncounter(
  request: {
    readonly encounterId: string;
    readonly connectionId: string;
    /** The expiry of the token the connection is opened with (epoch seconds). */
    readonly tokenExpiresAt: number;
  },
  caller: Caller,
  ports: ConnectEncounterPorts,
): Promise<void> {
  const encounter = await loadEncounter(ports.store, request.encounterId);
  await assertEncounterOwner(encounter, caller, ports.panels);
  if (encounter.status !== 'open') throw new Conflict('ENCOUNTER_ENDED', 'This encounter has ended');
  await ports.audit.allowed({
    resource: { patientScope: encounter.patientScope, encounterId: encounter.encounterId },
    purpose: 'treatment',
  });
  const now = ports.clock.now();
  await ports.store.bindConnection(
    {
      connectionId: request.connectionId,
      encounterId: encounter.encounterId,
      userId: caller.userId,
      roles: [...caller.roles],
      connectedAt: now.toISOString(),
      tokenExpiresAt: request.tokenExpiresAt,
    },
    Math.floor(now.getTime() / 1000) + CONNECTION_TTL_SECONDS,
  );
}
