/** Reads an encounter's status and its final transcript segments, decrypted for an authorised reader only. */
import type { RequestAudit } from '../audit/request-audit.ts';
import type { Caller } from '../identity/caller.ts';
import type { Clock } from '../ports/clock.ts';
import { type EncounterStore, inFlightSegments } from '../ports/encounter-store.ts';
import type { EnvelopeKeys } from '../ports/envelope-keys.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import { assertEncounterReader, loadEncounter } from './encounter-access.ts';
import { TranscriptCipher } from './transcript-cipher.ts';

export interface ReadEncounterPorts {
  readonly store: EncounterStore;
  readonly keys: EnvelopeKeys;
  readonly panels: PanelDirectory;
  readonly audit: RequestAudit;
  /** For which claims are still live (in flight); the system clock when not given. */
  readonly clock?: Clock;
}

export interface TranscriptSegment {
  readonly segmentId: string;
  /** The id a SOAP note cites as evidence. */
  readonly evidenceId: string;
  readonly seq: number;
  readonly speaker?: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly text: string;
}

export interface EncounterView {
  readonly encounterId: string;
  readonly patientScope: string;
  readonly status: 'open' | 'ended';
  readonly specialty: string;
  readonly encoding: string;
  readonly openedAt: string;
  readonly endedAt?: string;
  /** Segments being transcribed (a live claim) whose transcript is not stored yet. */
  readonly inFlight: readonly number[];
  readonly segments: readonly TranscriptSegment[];
}

export const evidenceIdOf = (segmentId: string) => `segment/${segmentId}`;

export async function readEncounter(
  encounterId: string,
  caller: Caller,
  ports: ReadEncounterPorts,
): Promise<EncounterView> {
  const encounter = await loadEncounter(ports.store, encounterId);
  await assertEncounterReader(encounter, caller, 'encounter.read', ports.panels);
  await ports.audit.allowed({
    resource: { patientScope: encounter.patientScope, encounterId: encounter.encounterId },
    purpose: 'treatment',
  });
  const stored = await ports.store.listSegments(encounterId);
  const cipher =
    stored.length > 0
      ? await TranscriptCipher.forEncounter(ports.keys, encounterId, encounter.encryptedDataKey)
      : undefined;
  const segments = stored.map((segment): TranscriptSegment => {
    const content = cipher?.open(segment.segmentId, segment.sealed) ?? { text: '' };
    return {
      segmentId: segment.segmentId,
      evidenceId: evidenceIdOf(segment.segmentId),
      seq: segment.seq,
      ...(content.speaker ? { speaker: content.speaker } : {}),
      startMs: segment.startMs,
      endMs: segment.endMs,
      text: content.text,
    };
  });
  return {
    encounterId,
    patientScope: encounter.patientScope,
    status: encounter.status,
    specialty: encounter.specialty,
    encoding: encounter.encoding,
    openedAt: encounter.openedAt,
    ...(encounter.endedAt ? { endedAt: encounter.endedAt } : {}),
    inFlight: inFlightSegments(encounter, (ports.clock?.now() ?? new Date()).getTime()),
    segments,
  };
}
