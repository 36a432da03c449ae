/**
 * Port: encounter state, its sealed transcript segments and the connections streaming it. Every state change is a
 * conditional single-item write, so concurrent segment invocations and a concurrent end keep one consistent story.
 */
import type { AudioEncoding, MedicalSpecialty } from './transcriber.ts';

export type EncounterStatus = 'open' | 'ended';

export interface EncounterRecord {
  readonly encounterId: string;
  readonly patientScope: string;
  /** The clinician who opened the encounter: the only user who may stream it. */
  readonly clinicianId: string;
  readonly specialty: MedicalSpecialty;
  readonly encoding: AudioEncoding;
  readonly sampleRateHz: number;
  readonly status: EncounterStatus;
  readonly openedAt: string;
  readonly endedAt?: string;
  /** The encounter's transcript data key, encrypted under the master key (envelope encryption). */
  readonly encryptedDataKey: Uint8Array;
  /** Segment sequence numbers accepted for transcription (in flight or done). */
  readonly claimed: readonly number[];
  /** Segment sequence numbers whose final results are stored. */
  readonly done: readonly number[];
}

/** One final transcript result; speaker and text are sealed, the rest is not PHI. */
export interface StoredSegment {
  /** Evidence id suffix: a SOAP note cites `segment/<segmentId>`. */
  readonly segmentId: string;
  readonly seq: number;
  /** Position of this final among the finals of its audio segment. */
  readonly index: number;
  /** Milliseconds from the start of the encounter's audio. */
  readonly startMs: number;
  readonly endMs: number;
  /** AES-256-GCM sealed `{ speaker, text }` under the encounter's data key. */
  readonly sealed: Uint8Array;
}

export interface ConnectionBinding {
  readonly connectionId: string;
  readonly encounterId: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly connectedAt: string;
}

export type ClaimOutcome = 'claimed' | 'duplicate' | 'not-open' | 'missing';
export type EndOutcome = 'ended' | 'already-ended' | 'missing';

export interface EncounterStore {
  readonly name: string;
  /** Rejects with `EncounterExists` if the id is taken. */
  create(record: EncounterRecord): Promise<void>;
  get(encounterId: string): Promise<EncounterRecord | undefined>;
  /** Claims a sequence number while the encounter is open; a number is claimed once. */
  claimSegment(encounterId: string, seq: number): Promise<ClaimOutcome>;
  /** Gives a claimed number back after a failed transcription, so the client may send that segment again. */
  releaseSegment(encounterId: string, seq: number): Promise<void>;
  /** Stores the finals of one claimed segment (idempotent per segment id) and marks the segment done. */
  putFinals(encounterId: string, seq: number, finals: readonly StoredSegment[]): Promise<void>;
  /** Every stored final, ordered by sequence number then index. */
  listSegments(encounterId: string): Promise<StoredSegment[]>;
  end(encounterId: string, endedAt: string): Promise<EndOutcome>;
  bindConnection(binding: ConnectionBinding, expiresAtEpochSeconds: number): Promise<void>;
  findConnection(connectionId: string): Promise<ConnectionBinding | undefined>;
  unbindConnection(connectionId: string): Promise<void>;
}

export class EncounterExists extends Error {
  constructor() {
    super('An encounter with this id already exists');
    this.name = 'EncounterExists';
  }
}
