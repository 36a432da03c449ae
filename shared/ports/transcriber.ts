/** Port: turns one segment of encounter audio into transcript results (Transcribe Medical in AWS, stand-ins locally). */

export type AudioEncoding = 'pcm-s16le' | 'ogg-opus' | 'text-frames';

/** The specialties StartMedicalStreamTranscription accepts. */
export type MedicalSpecialty = 'PRIMARYCARE' | 'CARDIOLOGY' | 'NEUROLOGY' | 'ONCOLOGY' | 'RADIOLOGY' | 'UROLOGY';

export const MEDICAL_SPECIALTIES: readonly MedicalSpecialty[] = [
  'PRIMARYCARE',
  'CARDIOLOGY',
  'NEUROLOGY',
  'ONCOLOGY',
  'RADIOLOGY',
  'UROLOGY',
];

export interface AudioSegment {
  /** Opaque id, never PHI. */
  readonly encounterId: string;
  /** Order within the encounter, from 0. */
  readonly segmentSeq: number;
  readonly encoding: AudioEncoding;
  /** 16000 for PCM. */
  readonly sampleRateHz: number;
  readonly specialty: MedicalSpecialty;
  /** Held in memory only, never persisted. */
  readonly audio: AsyncIterable<Uint8Array>;
}

export interface TranscriptResult {
  readonly resultId: string;
  readonly isPartial: boolean;
  readonly text: string;
  /** Relative to the segment start. */
  readonly startMs: number;
  readonly endMs: number;
  /** e.g. 'spk_0'. */
  readonly speaker?: string;
}

/** `TIMEOUT`: the segment did not finish within the time the invocation had left to reply. */
export type TranscriptionFailureReason = 'THROTTLED' | 'BAD_AUDIO' | 'LIMIT_EXCEEDED' | 'UNAVAILABLE' | 'TIMEOUT';

/** The transcriber refused or failed the segment; the message is fixed per reason and never carries transcript text. */
export class TranscriptionFailed extends Error {
  constructor(
    readonly reason: TranscriptionFailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'TranscriptionFailed';
  }
}

export interface Transcriber {
  readonly name: string;
  /** false for the demo recogniser, the text-frame mode and the loopback fake: never a clinical transcriber. */
  readonly isClinicalGrade: boolean;
  transcribe(segment: AudioSegment, signal?: AbortSignal): AsyncIterable<TranscriptResult>;
}
