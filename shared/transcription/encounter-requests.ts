/** Request schemas, limits and the `Encounter.Ended` event of encounter transcription, shared by handlers, CLI and OpenAPI. */
import { z } from 'zod';
import { defineEvent } from '../events/event-definition.ts';
import { Role } from '../identity/roles.ts';
import { PatientScope } from '../phi/phi-requests.ts';
import { MEDICAL_SPECIALTIES, type MedicalSpecialty } from '../ports/transcriber.ts';

/** API Gateway WebSocket quotas: a message of at most 128 KB, sent in frames of at most 32 KB. */
export const MAX_SOCKET_MESSAGE_BYTES = 128 * 1024;
export const MAX_SOCKET_FRAME_BYTES = 32 * 1024;
/** Audio per segment message: base64 (4/3) plus the JSON envelope must stay under the message quota. */
export const MAX_SEGMENT_AUDIO_BYTES = 90 * 1024;
export const MAX_SEGMENT_TEXT_CHARS = 20_000;
/** A day of 3-second segments; the claimed-number sets stay far below DynamoDB's 400 KB item limit. */
export const MAX_SEGMENTS = 30_000;
export const MAX_OFFSET_MS = 24 * 3600 * 1000;
/** PCM is 16-bit mono at 16 kHz (what Transcribe Medical streams best); 2.88 s of it fills one message. */
export const PCM_SAMPLE_RATE_HZ = 16_000;
/** How long a socket binding is kept; API Gateway closes any WebSocket connection after two hours. */
export const CONNECTION_TTL_SECONDS = 2 * 3600 + 600;

export const EncounterId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'an encounter id');
export const MedicalSpecialtySchema = z.enum(MEDICAL_SPECIALTIES as [MedicalSpecialty, ...MedicalSpecialty[]]);
export const AudioEncodingSchema = z.enum(['pcm-s16le', 'ogg-opus', 'text-frames']);

export const OpenEncounterRequest = z
  .object({
    patientScope: PatientScope,
    specialty: MedicalSpecialtySchema.default('PRIMARYCARE'),
    encoding: AudioEncodingSchema.default('pcm-s16le'),
    /** PCM must be 16 kHz; OGG/Opus carries its own rate (48 kHz is Opus's native one). */
    sampleRateHz: z.number().int().min(8_000).max(48_000).optional(),
  })
  .strict()
  .refine((body) => body.encoding !== 'pcm-s16le' || (body.sampleRateHz ?? PCM_SAMPLE_RATE_HZ) === PCM_SAMPLE_RATE_HZ, {
    message: 'PCM audio must be 16 kHz',
    path: ['sampleRateHz'],
  });
export type OpenEncounterRequest = z.infer<typeof OpenEncounterRequest>;

export const EncounterPath = z.object({ encounterId: EncounterId }).strict();

/** Published when an encounter ends; ids only. The drafts workflow requests the SOAP note from it. */
export const EncounterEnded = defineEvent({
  capability: 'transcription',
  detailType: 'Encounter.Ended',
  version: 1,
  detail: z
    .object({
      encounterId: EncounterId,
      patientScope: PatientScope,
      clinicianId: z.string().regex(/^[A-Za-z0-9._@:+-]{1,128}$/),
      clinicianRoles: z.array(Role),
      specialty: MedicalSpecialtySchema,
      finalSegmentCount: z.number().int().nonnegative(),
      endedAt: z.iso.datetime(),
    })
    .strict(),
});
