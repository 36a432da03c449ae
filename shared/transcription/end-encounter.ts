/**
 * Ends an encounter and announces it. Ending is idempotent: ending an ended encounter publishes the event again, so
 * a failed publish is repaired by retrying the request (consumers are idempotent on the encounter id). An encounter
 * with segments in flight is not ended (409 SEGMENTS_IN_FLIGHT): its note would miss their finals.
 */
import type { RequestAudit } from '../audit/request-audit.ts';
import { Conflict } from '../errors/domain-errors.ts';
import { createEvent } from '../events/event-definition.ts';
import type { Caller } from '../identity/caller.ts';
import type { Clock } from '../ports/clock.ts';
import type { EncounterStore } from '../ports/encounter-store.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import { assertEncounterOwner, loadEncounter } from './encounter-access.ts';
import { EncounterEnded } from './encounter-requests.ts';

export interface EndEncounterPorts {
  readonly store: EncounterStore;
  readonly panels: PanelDirectory;
  readonly events: EventPublisher;
  readonly clock: Clock;
  readonly audit: RequestAudit;
}

export interface EndedEncounter {
  readonly encounterId: string;
  readonly status: 'ended';
  readonly endedAt: string;
  readonly finalSegmentCount: number;
}

export async function endEncounter(
  encounterId: string,
  caller: Caller,
  ports: EndEncounterPorts,
): Promise<EndedEncounter> {
  const encounter = await loadEncounter(ports.store, encounterId);
  await assertEncounterOwner(encounter, caller, ports.panels);
  await ports.audit.allowed({
    resource: { patientScope: encounter.patientScope, encounterId: encounter.encounterId },
    purpose: 'treatment',
  });
  const now = ports.clock.now();
  const outcome = await ports.store.end(encounterId, now.toISOString(), now.getTime());
  if (typeof outcome === 'object') {
    throw new Conflict(
      'SEGMENTS_IN_FLIGHT',
      'Segments are still being transcribed; wait for their replies (or their claims to lapse) and end again',
      { inFlight: [...outcome.inFlight] },
    );
  }
  const ended = await loadEncounter(ports.store, encounterId);
  if (outcome === 'missing' || ended.status !== 'ended' || !ended.endedAt) {
    throw new Error('The encounter could not be ended');
  }
  const finalSegmentCount = (await ports.store.listSegments(encounterId)).length;
  await ports.events.publish([
    createEvent(EncounterEnded, {
      encounterId,
      patientScope: encounter.patientScope,
      clinicianId: encounter.clinicianId,
      clinicianRoles: [...caller.roles],
      specialty: encounter.specialty,
      finalSegmentCount,
      endedAt: ended.endedAt,
    }),
  ]);
  return { encounterId, status: 'ended', endedAt: ended.endedAt, finalSegmentCount };
}
