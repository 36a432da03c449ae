/** Opens an encounter for a patient scope: a fresh id, its own transcript data key, and the socket to stream to. */
import type { RequestAudit } from '../audit/request-audit.ts';
import type { Caller } from '../identity/caller.ts';
import { assertPanelAccess } from '../identity/minimum-necessary.ts';
import type { Clock } from '../ports/clock.ts';
import type { EncounterStore } from '../ports/encounter-store.ts';
import type { EnvelopeKeys } from '../ports/envelope-keys.ts';
import type { Ids } from '../ports/ids.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import { type OpenEncounterRequest, PCM_SAMPLE_RATE_HZ } from './encounter-requests.ts';
import { TranscriptCipher } from './transcript-cipher.ts';

export interface OpenEncounterPorts {
  readonly store: EncounterStore;
  readonly keys: EnvelopeKeys;
  readonly panels: PanelDirectory;
  readonly ids: Ids;
  readonly clock: Clock;
  readonly audit: RequestAudit;
  readonly socketUrl: string;
}

export interface OpenedEncounter {
  readonly encounterId: string;
  readonly socketUrl: string;
  readonly status: 'open';
  readonly encoding: OpenEncounterRequest['encoding'];
  readonly sampleRateHz: number;
  readonly specialty: string;
}

export async function openEncounter(
  request: OpenEncounterRequest,
  caller: Caller,
  ports: OpenEncounterPorts,
): Promise<OpenedEncounter> {
  await assertPanelAccess(caller, 'encounter.stream', request.patientScope, ports.panels);
  // The id is drawn before the audit so the record names the encounter it opens.
  const encounterId = ports.ids.next();
  await ports.audit.allowed({ resource: { patientScope: request.patientScope, encounterId }, purpose: 'treatment' });
  const { encryptedKey } = await TranscriptCipher.create(ports.keys, encounterId);
  const sampleRateHz = request.sampleRateHz ?? (request.encoding === 'ogg-opus' ? 48_000 : PCM_SAMPLE_RATE_HZ);
  await ports.store.create({
    encounterId,
    patientScope: request.patientScope,
    clinicianId: caller.userId,
    specialty: request.specialty,
    encoding: request.encoding,
    sampleRateHz,
    status: 'open',
    openedAt: ports.clock.now().toISOString(),
    encryptedDataKey: encryptedKey,
    claimed: [],
    claims: [],
    done: [],
  });
  const socketUrl = `${ports.socketUrl}?encounterId=${encodeURIComponent(encounterId)}`;
  return {
    encounterId,
    socketUrl,
    status: 'open',
    encoding: request.encoding,
    sampleRateHz,
    specialty: request.specialty,
  };
}
