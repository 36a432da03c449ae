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
  /** Segment sequence numbers accepted for transcription (in flight, done, or claimed once and lapsed). */
  readonly claimed: readonly number[];
  /** Segment sequence numbers whose final results are stored. */
  readonly done: readonly number[];
  /** The latest claim of each claimed segment number: who holds it and until when. */
  readonly claims: readonly SegmentClaim[];
}

/**
 * A claim is a lease: it lapses at `expiresAtMs` (after the claiming invocation has surely stopped), and a lapsed
 * claim of a segment that is not done may be claimed again, so a crashed or timed-out invocation never leaves its
 * segment in flight forever. `attempt` names this claim, so that only its holder stores finals or releases it.
 */
export interface SegmentClaim {
  readonly seq: number;
  readonly attempt: string;
  readonly expiresAtMs: number;
}

/** Segments claimed by a live (unexpired) claim and not done yet, in order. */
export function inFlightSegments(encounter: EncounterRecord, nowMs: number): number[] {
  const done = new Set(encounter.done);
  return encounter.claims
    .filter((claim) => !done.has(claim.seq) && claim.expiresAtMs > nowMs)
    .map((claim) => claim.seq)
    .sort((a, b) => a - b);
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
  /** When the token the connection was opened with expires (epoch seconds); no segment is taken after it. */
  readonly tokenExpiresAt?: number;
}

export type ClaimOutcome = 'claimed' | 'duplicate' | 'not-open' | 'missing';
/** `inFlight`: the encounter stays open because these segments are still being transcribed. */
export type EndOutcome = 'ended' | 'already-ended' | 'missing' | { readonly inFlight: readonly number[] };

export interface EncounterStore {
  readonly name: string;
  /** Rejects with `EncounterExists` if the id is taken. */
  create(record: EncounterRecord): Promise<void>;
  get(encounterId: string): Promise<EncounterRecord | undefined>;
  /**
   * Claims a sequence number while the encounter is open: a number not done and not held by a live claim (one
   * whose lease has not lapsed at `nowMs`).
   */
  claimSegment(encounterId: string, claim: SegmentClaim, nowMs: number): Promise<ClaimOutcome>;
  /** Gives a claim back after a failed transcription (a no-op unless `claim` still holds it). */
  releaseSegment(encounterId: string, claim: SegmentClaim): Promise<void>;
  /**
   * Stores the finals of one claimed segment and marks it done with their count, while the encounter is open and
   * `claim` still holds the number; otherwise rejects with `ClaimLost` and nothing becomes visible.
   */
  putFinals(encounterId: string, claim: SegmentClaim, finals: readonly StoredSegment[]): Promise<void>;
  /** The finals of done segments only (those of the attempt that marked each done), by sequence number then index. */
  listSegments(encounterId: string): Promise<StoredSegment[]>;
  /** Ends the encounter unless a live claim is in flight at `nowMs`. */
  end(encounterId: string, endedAt: string, nowMs: number): Promise<EndOutcome>;
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

/** The claim lapsed and was taken over, or the encounter ended, before the finals were stored. */
export class ClaimLost extends Error {
  constructor() {
    super('The segment claim was lost before its finals were stored');
    this.name = 'ClaimLost';
  }
}
