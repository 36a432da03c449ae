/** Who may touch an encounter: its opening clinician streams and ends it; the care team (panel rule) reads it. */
import { Forbidden, NotFound } from '../errors/domain-errors.ts';
import type { Caller } from '../identity/caller.ts';
import { assertPanelAccess } from '../identity/minimum-necessary.ts';
import type { Action } from '../identity/permissions.ts';
import type { EncounterRecord, EncounterStore } from '../ports/encounter-store.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';

/**
 * An unknown id answers 404 and someone else's encounter 403, so a caller with a permitted role can tell that an id
 * exists: ids are random (unguessable) and every refusal is audited, which is what protects them, not this answer.
 */
const notFound = () => new NotFound('ENCOUNTER_NOT_FOUND', 'No such encounter');

export async function loadEncounter(store: EncounterStore, encounterId: string): Promise<EncounterRecord> {
  const encounter = await store.get(encounterId);
  if (!encounter) throw notFound();
  return encounter;
}

/** Streaming and ending: only the clinician who opened it, and only while the patient is still on their panel. */
export async function assertEncounterOwner(
  encounter: EncounterRecord,
  caller: Caller,
  panels: PanelDirectory,
): Promise<void> {
  if (encounter.clinicianId !== caller.userId) {
    throw new Forbidden('NOT_ENCOUNTER_OWNER', 'Only the clinician who opened this encounter may stream or end it');
  }
  await assertPanelAccess(caller, 'encounter.stream', encounter.patientScope, panels);
}

/** Reading the transcript: any role permitted `action`, with the physician panel rule for the encounter's patient. */
export async function assertEncounterReader(
  encounter: EncounterRecord,
  caller: Caller,
  action: Action,
  panels: PanelDirectory,
): Promise<void> {
  await assertPanelAccess(caller, action, encounter.patientScope, panels);
}
